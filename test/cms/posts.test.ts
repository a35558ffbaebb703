import test from 'ava';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { cmsReader } from './helpers.ts';

let h: Harness;
test.before(async () => { h = await bootHarness(); });
test.after.always(async () => { await h?.close(); });

const inAnHour = () => new Date(Date.now() + 3600_000).toISOString();

test('createMarketingPost answers 201 as a draft and emits marketing_post.created', async (t) => {
  const { id, client } = await h.workspace();
  const campaign = (await client.post('/marketing/campaigns', { key: 'beta', name: 'Beta' })).body.data;
  const res = await client.post('/marketing/posts', { channel: 'linkedin', title: 'Beta launch', body: 'We are opening Slab5 private beta.', campaign_id: campaign.id });
  t.is(res.status, 201);
  t.deepEqual(res.contractErrors, []);
  t.regex(res.body.data.id, /^post_[0-9a-z]{26}$/);
  t.like(res.body.data, {
    campaign_id: campaign.id, channel: 'linkedin', title: 'Beta launch', body: 'We are opening Slab5 private beta.', status: 'draft',
    scheduled_at: null, published_at: null, external_url: null, asset_ids: [],
  });
  t.deepEqual(await cmsReader(h).eventTypes(id, res.body.data.id), ['marketing_post.created']);
  t.deepEqual(await cmsReader(h).commands(id, res.body.data.id), [], 'a draft starts no workflow');
  const untitled = await client.post('/marketing/posts', { channel: 'x', body: 'Short' });
  t.like(untitled.body.data, { title: null, campaign_id: null });
});

test('a scheduled post needs a future scheduled_at; scheduled_at needs status scheduled; the workflow is asked for', async (t) => {
  const { id, client } = await h.workspace();
  const missing = await client.post('/marketing/posts', { channel: 'x', body: 'B', status: 'scheduled' });
  t.is(missing.status, 422);
  t.deepEqual(missing.contractErrors, []);
  t.deepEqual(missing.body.error.details.fields.map((f: any) => f.field), ['scheduled_at']);
  const past = await client.post('/marketing/posts', { channel: 'x', body: 'B', status: 'scheduled', scheduled_at: new Date(Date.now() - 1000).toISOString() });
  t.is(past.status, 422);
  t.regex(past.body.error.details.fields[0].problem, /future/);
  const draftWithTime = await client.post('/marketing/posts', { channel: 'x', body: 'B', scheduled_at: inAnHour() });
  t.is(draftWithTime.status, 422);
  t.is(draftWithTime.body.error.code, 'rule_violation');
  t.is(draftWithTime.body.error.details.field, 'scheduled_at');
  t.deepEqual((await client.get('/marketing/posts')).body.data, []);

  const at = inAnHour();
  const scheduled = await client.post('/marketing/posts', { channel: 'email', body: 'Soon', status: 'scheduled', scheduled_at: at });
  t.is(scheduled.status, 201);
  t.deepEqual(scheduled.contractErrors, []);
  t.like(scheduled.body.data, { status: 'scheduled', scheduled_at: at, published_at: null });
  const commands = await cmsReader(h).commands(id, scheduled.body.data.id);
  t.is(commands.length, 1);
  t.like(commands[0], { workflow_type: 'publishMarketingPost', workflow_id: `marketing-post-${scheduled.body.data.id}`, signal: 'reschedule' });
});

test('an unknown or foreign campaign, or an asset id that names no asset, answers 404 naming it', async (t) => {
  const a = await h.workspace();
  const b = await h.workspace();
  const foreign = (await b.client.post('/marketing/campaigns', { key: 'c', name: 'C' })).body.data;
  const campaign = await a.client.post('/marketing/posts', { channel: 'x', body: 'B', campaign_id: foreign.id });
  t.is(campaign.status, 404);
  t.deepEqual(campaign.contractErrors, []);
  t.deepEqual(campaign.body.error.details, { resource: 'marketing_campaign', id: foreign.id });
  const malformed = await a.client.post('/marketing/posts', { channel: 'x', body: 'B', asset_ids: ['https://img.example/x.png'] });
  t.is(malformed.status, 404);
  t.deepEqual(malformed.body.error.details, { resource: 'asset', id: 'https://img.example/x.png' });
  // A well-formed id of no asset: refused once the assets module registers its type, kept (shape-checked) until then.
  const wellFormed = await a.client.post('/marketing/posts', { channel: 'x', body: 'B', asset_ids: ['asset_01jnosuchasset0000000000000'] });
  t.deepEqual(wellFormed.contractErrors, []);
  if (h.deps.resources.has('asset')) t.is(wellFormed.status, 404);
  else t.deepEqual(wellFormed.body.data.asset_ids, ['asset_01jnosuchasset0000000000000']);
  for (const [body, field] of [
    [{ channel: 'myspace', body: 'B' }, 'channel'],
    [{ channel: 'x' }, 'body'],
    [{ channel: 'x', body: 'B', status: 'published' }, 'status'],
    [{ channel: 'x', body: 'B', asset_ids: ['a', 'a'] }, 'asset_ids'],
    [{ channel: 'x', body: 'B', scheduled_at: 'tomorrow' }, 'scheduled_at'],
  ] as const) {
    const res = await a.client.post('/marketing/posts', body);
    t.is(res.status, 422, JSON.stringify(body));
    t.true(res.body.error.details.fields.some((f: any) => f.field === field));
  }
});

test('listMarketingPosts filters by campaign, channel, status and query, newest first', async (t) => {
  const a = await h.workspace();
  const b = await h.workspace();
  const { client } = a;
  const campaign = (await client.post('/marketing/campaigns', { key: 'c', name: 'C' })).body.data;
  const mk = async (body: object) => (await client.post('/marketing/posts', body)).body.data.id;
  const p1 = await mk({ channel: 'linkedin', title: 'Hiring', body: 'We are hiring engineers', campaign_id: campaign.id });
  const p2 = await mk({ channel: 'x', body: 'Launch thread', status: 'scheduled', scheduled_at: inAnHour() });
  const p3 = await mk({ channel: 'linkedin', body: 'Webinar recap' });
  await b.client.post('/marketing/posts', { channel: 'linkedin', body: 'Their hiring post' });
  const ids = async (q: string) => {
    const res = await client.get(`/marketing/posts${q}`);
    t.deepEqual(res.contractErrors, []);
    return res.body.data.map((p: any) => p.id);
  };
  t.deepEqual(await ids(''), [p3, p2, p1]);
  t.deepEqual(await ids(`?campaign_id=${campaign.id}`), [p1]);
  t.deepEqual(await ids('?channel=linkedin'), [p3, p1]);
  t.deepEqual(await ids('?status=scheduled'), [p2]);
  t.deepEqual(await ids('?query=HIRING'), [p1]);
  t.deepEqual(await ids('?query=recap&channel=linkedin'), [p3]);
  const page = await client.get('/marketing/posts?limit=2');
  t.deepEqual((await client.get(`/marketing/posts?limit=2&cursor=${encodeURIComponent(page.body.next_cursor)}`)).body.data.map((p: any) => p.id), [p1]);
});
