import test from 'ava';
import { createHash } from 'node:crypto';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { canonicalJson } from '../../api/middleware/idempotency.ts';

let h: Harness;
test.before(async () => { h = await bootHarness(); });
test.after.always(async () => { await h?.close(); });

const count = async (sql: string, params: unknown[]) =>
  Number((await h.sql<{ n: string }>(sql, params))[0]!.n);

test('the first response is stored and replayed with Idempotent-Replayed: true', async (t) => {
  const { client, id } = await h.workspace();
  const headers = { 'Idempotency-Key': 'create-jane-1' };
  const first = await client.post('/contacts', { name: 'Jane Doe', email: 'jane@acme.com' }, { headers });
  t.is(first.status, 201);
  t.is(first.headers.get('idempotent-replayed'), null);
  const again = await client.post('/contacts', { email: 'jane@acme.com', name: 'Jane Doe' }, { headers });
  t.is(again.status, 201);
  t.is(again.headers.get('idempotent-replayed'), 'true');
  t.deepEqual(again.body.data, first.body.data);
  t.not(again.body.request_id, first.body.request_id);
  t.deepEqual(again.contractErrors, []);
  t.is(await count('select count(*) n from contacts where workspace_id = ?', [id]), 1);
  t.is(await count(`select count(*) n from outbox_events where workspace_id = ? and type = 'contact.created'`, [id]), 1);
});

test('the same key with a different body answers 409 and changes nothing', async (t) => {
  const { client, id } = await h.workspace();
  const headers = { 'Idempotency-Key': 'k-409' };
  t.is((await client.post('/companies', { name: 'Acme' }, { headers })).status, 201);
  const res = await client.post('/companies', { name: 'Acme Two' }, { headers });
  t.is(res.status, 409);
  t.is(res.body.error.code, 'idempotency_key_reused');
  t.deepEqual(res.contractErrors, []);
  t.is(await count('select count(*) n from companies where workspace_id = ?', [id]), 1);
});

test('keys are scoped to the workspace and the operation', async (t) => {
  const a = await h.workspace();
  const b = await h.workspace();
  const headers = { 'Idempotency-Key': 'shared-key' };
  t.is((await a.client.post('/companies', { name: 'A Co' }, { headers })).status, 201);
  const other = await b.client.post('/companies', { name: 'B Co' }, { headers });
  t.is(other.status, 201);
  t.is(other.headers.get('idempotent-replayed'), null);
  t.is(other.body.data.name, 'B Co');
  const otherOp = await a.client.post('/contacts', { name: 'A Person' }, { headers });
  t.is(otherOp.status, 201);
});

test('50 concurrent requests with one key create exactly one resource; the rest replay or see it in flight', async (t) => {
  const { client, id } = await h.workspace();
  const body = { name: 'Concurrent Co', domain: 'concurrent.example' };
  const results = await Promise.all(Array.from({ length: 50 }, () => client.post('/companies', body, { headers: { 'Idempotency-Key': 'burst' } })));
  const statuses = results.map((r) => r.status);
  t.true(statuses.every((s) => s === 201 || s === 409), statuses.join(','));
  const created = results.filter((r) => r.status === 201);
  t.true(created.length >= 1);
  t.is(new Set(created.map((r) => r.body.data.id)).size, 1);
  for (const r of results.filter((x) => x.status === 409)) t.is(r.body.error.code, 'idempotency_request_in_progress');
  t.is(await count('select count(*) n from companies where workspace_id = ?', [id]), 1);
  t.is(await count(`select count(*) n from outbox_events where workspace_id = ? and type = 'company.created'`, [id]), 1);
});

test('a duplicate still in flight answers 409 with Retry-After', async (t) => {
  const { client, id } = await h.workspace();
  // A claim held by a live request for the same body looks exactly like this row.
  const hash = createHash('sha256').update(canonicalJson({ path: {}, query: {}, body: { name: 'Racer' } })).digest('hex');
  await h.sql(
    `insert into idempotency_keys (workspace_id, operation, key, request_hash, state, expires_at)
     values (?, 'createCompany', 'in-flight', ?, 'in_progress', now() + interval '1 hour')`, [id, hash]);
  const res = await client.post('/companies', { name: 'Racer' }, { headers: { 'Idempotency-Key': 'in-flight' } });
  t.is(res.status, 409);
  t.is(res.body.error.code, 'idempotency_request_in_progress');
  t.is(res.headers.get('retry-after'), '1');
  t.is(await count('select count(*) n from companies where workspace_id = ?', [id]), 0);
});

test('the key in the JSON body works like the header; both given and different answers 422', async (t) => {
  const { client, id } = await h.workspace();
  const first = await client.post('/companies', { name: 'Body Key Co', idempotency_key: 'body-1' });
  t.is(first.status, 201);
  t.false('idempotency_key' in first.body.data);
  const replay = await client.post('/companies', { name: 'Body Key Co' }, { headers: { 'Idempotency-Key': 'body-1' } });
  t.is(replay.headers.get('idempotent-replayed'), 'true');
  t.is(replay.body.data.id, first.body.data.id);
  const both = await client.post('/companies', { name: 'X', idempotency_key: 'body-2' }, { headers: { 'Idempotency-Key': 'header-2' } });
  t.is(both.status, 422);
  t.is(both.body.error.details.fields[0].field, 'idempotency_key');
  t.is(await count('select count(*) n from companies where workspace_id = ?', [id]), 1);
});

test('a business error is stored for the key too; a key expires after 24 hours', async (t) => {
  const { client, id } = await h.workspace();
  t.is((await client.post('/companies', { name: 'Dup', domain: 'dup.example' })).status, 201);
  const headers = { 'Idempotency-Key': 'dup-try' };
  const conflict = await client.post('/companies', { name: 'Dup 2', domain: 'dup.example' }, { headers });
  t.is(conflict.status, 409);
  const replay = await client.post('/companies', { name: 'Dup 2', domain: 'dup.example' }, { headers });
  t.is(replay.status, 409);
  t.is(replay.headers.get('idempotent-replayed'), 'true');
  t.is(replay.body.error.code, 'already_exists');

  const k = { 'Idempotency-Key': 'expiring' };
  const before = await client.post('/companies', { name: 'Expiring' }, { headers: k });
  const stored = await h.sql<{ hours: number }>(
    `select round(extract(epoch from expires_at - created_at) / 3600) as hours from idempotency_keys where workspace_id = ? and key = 'expiring'`, [id]);
  t.is(Number(stored[0]!.hours), 24);
  await h.sql(`update idempotency_keys set expires_at = now() - interval '1 second' where workspace_id = ? and key = 'expiring'`, [id]);
  const after = await client.post('/companies', { name: 'Expiring' }, { headers: k });
  t.is(after.status, 201);
  t.is(after.headers.get('idempotent-replayed'), null);
  t.not(after.body.data.id, before.body.data.id);
});
