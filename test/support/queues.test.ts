import test from 'ava';
import { bootHarness, type Harness } from '../helpers/harness.ts';

let h: Harness;
test.before(async () => { h = await bootHarness(); });
test.after.always(async () => { await h?.close(); });

test('createSupportQueue answers 201 with every field and the defaults, and records support_queue.created', async (t) => {
  const { id, client } = await h.workspace();
  const res = await client.post('/support/queues', { key: 'priority', name: 'Priority Support', first_response_target_minutes: 120 });
  t.is(res.status, 201);
  t.deepEqual(res.contractErrors, []);
  const queue = res.body.data;
  t.regex(queue.id, /^queue_[0-9a-z]{26}$/);
  t.like(queue, { key: 'priority', name: 'Priority Support', description: null, status: 'active', first_response_target_minutes: 120, resolution_target_minutes: null, custom_fields: {} });
  const full = await client.post('/support/queues', {
    key: 'billing_2', name: 'Billing', description: 'Invoices and refunds', status: 'paused',
    first_response_target_minutes: 60, resolution_target_minutes: 2880, custom_fields: { region: 'emea' },
  });
  t.is(full.status, 201);
  t.like(full.body.data, { description: 'Invoices and refunds', status: 'paused', resolution_target_minutes: 2880, custom_fields: { region: 'emea' } });
  const events = await h.sql('select type, resource_id, payload from outbox_events where workspace_id = ? order by id', [id]);
  t.deepEqual(events.map((e) => [e.type, e.resource_id]), [['support_queue.created', queue.id], ['support_queue.created', full.body.data.id]]);
  t.is(events[0].payload.key, 'priority');
});

test('a queue key is unique per workspace: 409 already_exists with the existing id, and another workspace may use it', async (t) => {
  const a = await h.workspace();
  const b = await h.workspace();
  const first = (await a.client.post('/support/queues', { key: 'tier1', name: 'Tier 1' })).body.data;
  const dup = await a.client.post('/support/queues', { key: 'tier1', name: 'Other name' });
  t.is(dup.status, 409);
  t.deepEqual(dup.contractErrors, []);
  t.is(dup.body.error.code, 'already_exists');
  t.deepEqual(dup.body.error.details, { resource: 'support_queue', field: 'key', existing_id: first.id });
  t.is((await b.client.post('/support/queues', { key: 'tier1', name: 'Tier 1' })).status, 201);
  // Concurrent creators of one key: exactly one wins, the others learn its id.
  const racers = await Promise.all([1, 2, 3, 4].map(() => a.client.post('/support/queues', { key: 'raced', name: 'Raced' })));
  const won = racers.filter((r) => r.status === 201);
  t.is(won.length, 1);
  for (const r of racers.filter((x) => x.status !== 201)) t.is(r.body.error.details.existing_id, won[0]!.body.data.id);
});

test('createSupportQueue refuses a bad key, an archived status, a zero target and unknown fields with 422', async (t) => {
  const { client } = await h.workspace();
  for (const body of [
    { key: 'Priority', name: 'X' }, { key: '1st', name: 'X' }, { key: 'ok', name: 'X', status: 'archived' },
    { key: 'ok', name: 'X', first_response_target_minutes: 0 }, { key: 'ok', name: 'X', queue_id: 'x' }, { key: 'ok' },
  ]) {
    const res = await client.post('/support/queues', body);
    t.is(res.status, 422, JSON.stringify(body));
    t.is(res.body.error.code, 'validation_failed');
    t.deepEqual(res.contractErrors, []);
  }
  t.deepEqual((await client.get('/support/queues')).body.data, []);
});

test('createSupportQueue replays an Idempotency-Key with the first response and creates one queue', async (t) => {
  const { client } = await h.workspace();
  const headers = { 'Idempotency-Key': 'queue-once' };
  const first = await client.post('/support/queues', { key: 'once', name: 'Once' }, { headers });
  const again = await client.post('/support/queues', { key: 'once', name: 'Once' }, { headers });
  t.is(again.status, 201);
  t.is(again.headers.get('idempotent-replayed'), 'true');
  t.deepEqual(again.body.data, first.body.data);
  t.is((await client.get('/support/queues')).body.data.length, 1);
});

test('listSupportQueues filters by query, status and custom field; archived queues only when asked for', async (t) => {
  const { client } = await h.workspace();
  const mk = async (key: string, name: string, extra: Record<string, unknown> = {}) => (await client.post('/support/queues', { key, name, ...extra })).body.data;
  await mk('vip', 'VIP Customers', { custom_fields: { tier: 'gold', seats: 42 } });
  await mk('billing', 'Billing questions', { status: 'paused' });
  const old = await mk('legacy', 'Legacy product');
  // No operation archives a queue yet: the row is archived the way a future one would.
  await h.sql("update support_queues set status = 'archived' where id = ?", [old.id]);
  const keys = async (q: string) => {
    const res = await client.get(`/support/queues${q ? `?${q}` : ''}`);
    t.is(res.status, 200, q);
    t.deepEqual(res.contractErrors, []);
    return res.body.data.map((x: any) => x.key).sort();
  };
  t.deepEqual(await keys(''), ['billing', 'vip']);
  t.deepEqual(await keys('status=archived'), ['legacy']);
  t.deepEqual(await keys('status=paused'), ['billing']);
  t.deepEqual(await keys('status=active'), ['vip']);
  t.deepEqual(await keys('query=CUSTOMERS'), ['vip']);
  t.deepEqual(await keys('query=bill'), ['billing']);
  t.deepEqual(await keys('query=legacy'), [], 'archived stays hidden from a search');
  t.deepEqual(await keys('query=legacy&status=archived'), ['legacy']);
  t.deepEqual(await keys('query=100%25'), []);
  t.deepEqual(await keys('custom_field_key=tier&custom_field_value=gold'), ['vip']);
  t.deepEqual(await keys('custom_field_key=seats&custom_field_value=42'), ['vip']);
  t.deepEqual(await keys('custom_field_key=tier'), ['vip']);
  const orphan = await client.get('/support/queues?custom_field_value=gold');
  t.is(orphan.status, 422);
  t.deepEqual(orphan.body.error.details.fields, [{ field: 'custom_field_value', problem: 'needs custom_field_key (the key whose value it must equal)' }]);
  t.is((await client.get('/support/queues?status=closed')).status, 422);
});

test('listSupportQueues pages newest first with a signed cursor, and stays in its workspace', async (t) => {
  const a = await h.workspace();
  const b = await h.workspace();
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) ids.push((await a.client.post('/support/queues', { key: `q${i}`, name: `Queue ${i}` })).body.data.id);
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const res: any = await a.client.get(`/support/queues?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    t.deepEqual(res.contractErrors, []);
    seen.push(...res.body.data.map((q: any) => q.id));
    cursor = res.body.next_cursor;
  } while (cursor);
  t.deepEqual(seen, [...ids].reverse());
  const page = await a.client.get('/support/queues?limit=1');
  const foreign = await b.client.get(`/support/queues?cursor=${encodeURIComponent(page.body.next_cursor)}`);
  t.is(foreign.status, 422);
  t.is(foreign.body.error.code, 'invalid_cursor');
  t.deepEqual((await b.client.get('/support/queues?query=queue')).body.data, []);
});

test('support operations need the support scopes and the support module', async (t) => {
  const readOnly = await h.workspace({ scopes: ['support:read'] });
  const denied = await readOnly.client.post('/support/queues', { key: 'x', name: 'X' });
  t.is(denied.status, 403);
  t.is(denied.body.error.code, 'insufficient_scope');
  t.deepEqual(denied.contractErrors, []);
  t.is((await readOnly.client.get('/support/tickets')).status, 200);
  const crmOnly = await h.workspace({ enabled_modules: ['crm'] });
  const disabled = await crmOnly.client.get('/support/tickets');
  t.is(disabled.status, 403);
  t.is(disabled.body.error.code, 'module_not_enabled');
});
