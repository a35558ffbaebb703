// Webhook endpoints through the API: the secret shown once, lists with previews and filters,
// known event types only, updates, tenant isolation, and the SSRF guard at create and update
// (judged without sending anything anywhere: IP literals, and names resolving to loopback).
import test from 'ava';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { startReceiver, type Receiver } from './helpers.ts';

let h: Harness;
/** A deployment that allows no private network (production's default). */
let strict: Harness;
let receiver: Receiver;
test.before(async () => {
  [h, strict] = await Promise.all([bootHarness(), bootHarness({ WEBHOOK_ALLOW_PRIVATE_CIDRS: 'none' })]);
  receiver = await startReceiver();
});
test.after.always(async () => {
  await receiver?.close();
  await Promise.all([h?.close(), strict?.close()]);
});

test('create answers 201 with the secret once; lists show only a preview', async (t) => {
  const { client, id } = await h.workspace();
  const res = await client.post('/webhooks', { name: 'CRM Ops', url: receiver.url, description: 'Ops', event_types: ['contact.created', 'deal.updated'] });
  t.is(res.status, 201);
  t.deepEqual(res.contractErrors, []);
  const created = res.body.data;
  t.regex(created.id, /^wh_[0-9a-z]{26}$/);
  t.like(created, { name: 'CRM Ops', url: receiver.url, description: 'Ops', event_types: ['contact.created', 'deal.updated'], status: 'active', previous_secret_expires_at: null, disabled_reason: null });
  t.regex(created.signing_secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
  t.is(Buffer.from(created.signing_secret.slice(6), 'base64').length, 32);
  t.is(created.signing_secret_preview, `whsec_${created.signing_secret.slice(6, 10)}...${created.signing_secret.slice(-4)}`);

  const list = await client.get('/webhooks');
  t.deepEqual(list.contractErrors, []);
  t.is(list.body.data.length, 1);
  t.false('signing_secret' in list.body.data[0]);
  t.is(list.body.data[0].signing_secret_preview, created.signing_secret_preview);
  t.false(JSON.stringify(list.body).includes(created.signing_secret.slice(10, 40)));
  const [event] = await h.sql(`select payload from outbox_events where workspace_id = ? and type = 'webhook.endpoint.created'`, [id]);
  t.false(JSON.stringify(event.payload).includes(created.signing_secret.slice(10, 40)), 'the event carries no secret');
});

test('subscriptions must be known keys (built-in or this workspace\'s custom ones) or *; an unknown one is named', async (t) => {
  const { client } = await h.workspace();
  const other = await h.workspace();
  await other.client.post('/integrations/events', { key: 'theirs.only', category: 'x' });
  await client.post('/integrations/events', { key: 'ours.custom', category: 'x' });
  const res = await client.post('/webhooks', { name: 'Bad', url: receiver.url, event_types: ['contact.created', 'no.such_event', 'theirs.only'] });
  t.is(res.status, 422);
  t.deepEqual(res.contractErrors, []);
  t.deepEqual(res.body.error.details.fields.map((f: any) => f.field), ['event_types.1', 'event_types.2']);
  t.regex(res.body.error.details.fields[0].problem, /"no\.such_event" is not a known event type/);
  t.is((await client.post('/webhooks', { name: 'Custom', url: receiver.url, event_types: ['ours.custom'] })).status, 201);
  t.is((await client.post('/webhooks', { name: 'All', url: receiver.url, event_types: ['*'] })).status, 201);
  t.is((await client.get('/webhooks')).body.data.length, 2);
});

test('list filters by status, subscribed event type (* included) and text, newest first, with pages', async (t) => {
  const { client } = await h.workspace();
  const a = (await client.post('/webhooks', { name: 'Alpha contacts', url: `${receiver.url}/alpha`, event_types: ['contact.created'] })).body.data;
  const b = (await client.post('/webhooks', { name: 'Beta everything', url: `${receiver.url}/beta`, event_types: ['*'] })).body.data;
  const c = (await client.post('/webhooks', { name: 'Gamma tasks', url: `${receiver.url}/gamma`, event_types: ['task.created'], status: 'paused' })).body.data;
  const ids = async (q: string) => {
    const res = await client.get(`/webhooks${q}`);
    t.deepEqual(res.contractErrors, []);
    return res.body.data.map((e: any) => e.id);
  };
  t.deepEqual(await ids(''), [c.id, b.id, a.id]);
  t.deepEqual(await ids('?status=paused'), [c.id]);
  t.deepEqual(await ids('?event_type=contact.created'), [b.id, a.id]);
  t.deepEqual(await ids('?query=BETA'), [b.id]);
  t.deepEqual(await ids('?query=%2Fgamma'), [c.id], 'the URL is searched too');
  t.deepEqual(await ids('?query=100%25'), [], 'wildcards match literally');
  const page = await client.get('/webhooks?limit=2');
  t.is(page.body.data.length, 2);
  t.deepEqual(await ids(`?limit=2&cursor=${encodeURIComponent(page.body.next_cursor)}`), [a.id]);
});

test('update changes fields, pauses and resumes, records webhook.endpoint.updated; another workspace gets 404', async (t) => {
  const { client, id } = await h.workspace();
  const other = await h.workspace();
  const e = (await client.post('/webhooks', { name: 'Before', url: receiver.url, event_types: ['contact.created'] })).body.data;
  const res = await client.patch(`/webhooks/${e.id}`, { name: 'After', description: 'Now described', event_types: ['*'], status: 'paused' });
  t.is(res.status, 200);
  t.deepEqual(res.contractErrors, []);
  t.like(res.body.data, { id: e.id, name: 'After', description: 'Now described', event_types: ['*'], status: 'paused', signing_secret: null, signing_secret_preview: e.signing_secret_preview });
  t.true(res.body.data.updated_at > e.updated_at);
  t.like((await client.patch(`/webhooks/${e.id}`, { description: null })).body.data, { description: null, name: 'After' });
  const [event] = await h.sql(`select payload from outbox_events where workspace_id = ? and type = 'webhook.endpoint.updated' order by id limit 1`, [id]);
  t.deepEqual(event.payload.changed_fields, ['name', 'description', 'event_types', 'status']);

  const unknown = await client.patch(`/webhooks/${e.id}`, { event_types: ['nope.nope'] });
  t.is(unknown.status, 422);
  t.is(unknown.body.error.details.fields[0].field, 'event_types.0');
  const foreign = await other.client.patch(`/webhooks/${e.id}`, { name: 'Stolen' });
  t.is(foreign.status, 404);
  t.deepEqual(foreign.contractErrors, []);
  t.is((await client.patch('/webhooks/wh_missing', { name: 'x' })).status, 404);
  const empty = await client.patch(`/webhooks/${e.id}`, {});
  t.is(empty.status, 422, 'an empty patch is refused by the contract (minProperties)');
});

test('disabled endpoints can be re-enabled, which starts a fresh failure count', async (t) => {
  const { client } = await h.workspace();
  const e = (await client.post('/webhooks', { name: 'Off and on', url: receiver.url, event_types: ['*'] })).body.data;
  await h.sql(`update webhook_endpoints set status = 'disabled', disabled_reason = 'it answered 410 Gone', failing_since = now() - interval '6 days' where id = ?`, [e.id]);
  const res = await client.patch(`/webhooks/${e.id}`, { status: 'active' });
  t.like(res.body.data, { status: 'active', disabled_reason: null });
  const [row] = await h.sql('select failing_since from webhook_endpoints where id = ?', [e.id]);
  t.is(row.failing_since, null);
});

test('SSRF: private, loopback, link-local, CGNAT and metadata targets are refused at create, whatever the spelling', async (t) => {
  const { client } = await strict.workspace();
  const target = await startReceiver();
  const refused = [
    'https://10.0.0.5/hook', 'https://192.168.1.1/', 'https://172.16.0.1/', 'https://127.0.0.1/', 'https://2130706433/', 'https://0x7f.0.0.1/',
    'https://0177.0.0.1/', 'https://[::1]/', 'https://[::ffff:127.0.0.1]/', 'https://[::ffff:a9fe:a9fe]/', 'https://169.254.169.254/latest/meta-data',
    'https://[fd00:ec2::254]/', 'https://100.64.0.1/', 'https://100.100.100.200/', 'https://[fe80::1]/', 'https://[fc00::1]/', 'https://0.0.0.0/',
    'https://[::]/', 'https://[64:ff9b::7f00:1]/', 'https://localhost/', target.url,
  ];
  for (const url of refused) {
    const res = await client.post('/webhooks', { name: 'SSRF', url, event_types: ['*'] });
    t.is(res.status, 422, url);
    t.deepEqual(res.contractErrors, [], url);
    t.is(res.body.error.details.fields[0].field, 'url', url);
  }
  const http = await client.post('/webhooks', { name: 'Plain', url: 'http://example.com/hook', event_types: ['*'] });
  t.is(http.status, 422);
  t.regex(http.body.error.details.fields[0].problem, /https/);
  // A public address (or a name that does not resolve from here) is accepted over https.
  t.is((await client.post('/webhooks', { name: 'Public', url: 'https://93.184.215.14/hook', event_types: ['*'] })).status, 201);
  t.is((await client.post('/webhooks', { name: 'Named', url: 'https://hooks.example.com/slab5', event_types: ['*'] })).status, 201);
  const e = (await client.get('/webhooks')).body.data[0];
  const moved = await client.patch(`/webhooks/${e.id}`, { url: 'https://[::ffff:10.1.2.3]/' });
  t.is(moved.status, 422, 'update checks the URL too');
  t.is(moved.body.error.details.fields[0].field, 'url');
  await target.close();
  t.is(target.received.length, 0, 'nothing was sent');
});

test('a deployment that allows loopback accepts http to it, and still refuses other private networks', async (t) => {
  const { client } = await h.workspace();
  t.is((await client.post('/webhooks', { name: 'Local', url: receiver.url, event_types: ['*'] })).status, 201);
  t.is((await client.post('/webhooks', { name: 'Local v6', url: 'http://[::1]:9/hook', event_types: ['*'] })).status, 201);
  for (const url of ['http://10.0.0.5/', 'https://192.168.0.10/', 'http://169.254.169.254/']) {
    t.is((await client.post('/webhooks', { name: 'Private', url, event_types: ['*'] })).status, 422, url);
  }
});
