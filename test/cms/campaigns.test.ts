import test from 'ava';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { cmsReader } from './helpers.ts';

let h: Harness;
test.before(async () => { h = await bootHarness(); });
test.after.always(async () => { await h?.close(); });

test('createMarketingCampaign answers 201 with defaults and emits marketing_campaign.created', async (t) => {
  const { id, client } = await h.workspace();
  const res = await client.post('/marketing/campaigns', { key: 'slab5_beta_launch', name: 'Slab5 beta launch', channel: 'website' });
  t.is(res.status, 201);
  t.deepEqual(res.contractErrors, []);
  t.regex(res.body.data.id, /^camp_[0-9a-z]{26}$/);
  t.like(res.body.data, { key: 'slab5_beta_launch', name: 'Slab5 beta launch', channel: 'website', status: 'draft', description: null, start_date: null, end_date: null });
  t.deepEqual(await cmsReader(h).eventTypes(id, res.body.data.id), ['marketing_campaign.created']);
  const dated = await client.post('/marketing/campaigns', { key: 'q1', name: 'Q1', status: 'scheduled', start_date: '2026-01-01', end_date: '2026-01-01' });
  t.is(dated.status, 201);
  t.like(dated.body.data, { channel: null, status: 'scheduled', start_date: '2026-01-01', end_date: '2026-01-01' });
});

test('a campaign ending before it starts answers 422 naming end_date; bad enums and dates answer 422', async (t) => {
  const { client } = await h.workspace();
  const backwards = await client.post('/marketing/campaigns', { key: 'q2', name: 'Q2', start_date: '2026-04-01', end_date: '2026-03-31' });
  t.is(backwards.status, 422);
  t.deepEqual(backwards.contractErrors, []);
  t.is(backwards.body.error.code, 'rule_violation');
  t.is(backwards.body.error.details.field, 'end_date');
  for (const [body, field] of [
    [{ key: 'a', name: 'A', channel: 'myspace' }, 'channel'],
    [{ key: 'a', name: 'A', status: 'paused' }, 'status'],
    [{ key: 'a', name: 'A', start_date: '2026-02-30' }, 'start_date'],
    [{ key: 'a', name: 'A', end_date: 'soon' }, 'end_date'],
  ] as const) {
    const res = await client.post('/marketing/campaigns', body);
    t.is(res.status, 422, JSON.stringify(body));
    t.true(res.body.error.details.fields.some((f: any) => f.field === field));
  }
  t.deepEqual((await client.get('/marketing/campaigns')).body.data, []);
});

test('a campaign key is unique per workspace: 409 with the existing id', async (t) => {
  const { client } = await h.workspace();
  const first = (await client.post('/marketing/campaigns', { key: 'launch', name: 'Launch' })).body.data;
  const again = await client.post('/marketing/campaigns', { key: 'launch', name: 'Launch 2' });
  t.is(again.status, 409);
  t.deepEqual(again.contractErrors, []);
  t.deepEqual(again.body.error.details, { resource: 'marketing_campaign', field: 'key', existing_id: first.id });
});

test('listMarketingCampaigns filters by status, channel and query, newest first, and pages', async (t) => {
  const a = await h.workspace();
  const b = await h.workspace();
  const mk = async (key: string, extra: object) => (await a.client.post('/marketing/campaigns', { key, name: key.replace('_', ' '), ...extra })).body.data.id;
  const email = await mk('spring_email', { channel: 'email', status: 'active', description: 'Newsletter push' });
  const linkedin = await mk('spring_social', { channel: 'linkedin' });
  const blog = await mk('autumn_blog', { channel: 'blog', status: 'scheduled' });
  await b.client.post('/marketing/campaigns', { key: 'spring_other', name: 'spring other' });
  const ids = async (q: string) => {
    const res = await a.client.get(`/marketing/campaigns${q}`);
    t.deepEqual(res.contractErrors, []);
    return res.body.data.map((c: any) => c.id);
  };
  t.deepEqual(await ids(''), [blog, linkedin, email]);
  t.deepEqual(await ids('?status=active'), [email]);
  t.deepEqual(await ids('?channel=linkedin'), [linkedin]);
  t.deepEqual(await ids('?query=spring'), [linkedin, email]);
  t.deepEqual(await ids('?query=newsletter'), [email]);
  t.deepEqual(await ids('?status=draft&channel=linkedin'), [linkedin]);
  const page = await a.client.get('/marketing/campaigns?limit=2');
  t.deepEqual(page.body.data.map((c: any) => c.id), [blog, linkedin]);
  t.deepEqual((await a.client.get(`/marketing/campaigns?limit=2&cursor=${encodeURIComponent(page.body.next_cursor)}`)).body.data.map((c: any) => c.id), [email]);
  t.is((await a.client.get('/marketing/campaigns?status=done')).status, 422);
});
