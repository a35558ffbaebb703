import test from 'ava';
import { bootHarness, type Harness } from '../helpers/harness.ts';

let h: Harness;
test.before(async () => { h = await bootHarness({ BODY_LIMIT_BYTES: '4096' }); });
test.after.always(async () => { await h?.close(); });

async function contactCount(workspaceId: string): Promise<number> {
  const rows = await h.sql<{ n: string }>('select count(*) as n from contacts where workspace_id = ?', [workspaceId]);
  return Number(rows[0]!.n);
}

test('400 for malformed JSON, and nothing is written', async (t) => {
  const { client, id } = await h.workspace();
  const res = await client.post('/contacts', undefined, { rawBody: '{"name": "Broken",' });
  t.is(res.status, 400);
  t.is(res.body.error.code, 'malformed_json');
  t.deepEqual(res.contractErrors, []);
  t.is(await contactCount(id), 0);
});

test('413 for a body over the limit', async (t) => {
  const { client, id } = await h.workspace();
  const res = await client.post('/contacts', { name: 'Big', notes: 'x'.repeat(8000) });
  t.is(res.status, 413);
  t.is(res.body.error.code, 'payload_too_large');
  t.is(await contactCount(id), 0);
});

test('415 for a body that is not JSON', async (t) => {
  const { client, id } = await h.workspace();
  const res = await client.post('/contacts', undefined, { rawBody: 'name=Form', contentType: 'application/x-www-form-urlencoded' });
  t.is(res.status, 415);
  t.is(res.body.error.code, 'unsupported_media_type');
  t.regex(res.body.error.message, /application\/json/);
  const text = await client.post('/contacts', undefined, { rawBody: '{"name":"x"}', contentType: 'text/plain' });
  t.is(text.status, 415);
  t.is(await contactCount(id), 0);
});

test('422 names each offending field: wrong types, missing required, unknown fields', async (t) => {
  const { client, id } = await h.workspace();
  const res = await client.post('/contacts', { email: 42, nickname: 'Jo', custom_fields: 'not-an-object' });
  t.is(res.status, 422);
  t.is(res.body.error.code, 'validation_failed');
  t.deepEqual(res.contractErrors, []);
  const fields = res.body.error.details.fields as { field: string; problem: string }[];
  const byField = Object.fromEntries(fields.map((f) => [f.field, f.problem]));
  t.is(byField.name, 'is required');
  t.regex(byField.email!, /string/);
  t.is(byField.nickname, 'is not a known field');
  t.regex(byField.custom_fields!, /object/);
  t.regex(res.body.error.message, /name is required/);
  t.is(await contactCount(id), 0);
});

test('422 for a bad email format and for an array body', async (t) => {
  const { client } = await h.workspace();
  const email = await client.post('/contacts', { name: 'Jo', email: 'not-an-email' });
  t.is(email.status, 422);
  t.is(email.body.error.details.fields[0].field, 'email');
  const array = await client.post('/contacts', [{ name: 'Jo' }]);
  t.is(array.status, 422);
});

test('422 for an empty body on an operation that requires one', async (t) => {
  const { client } = await h.workspace();
  const res = await client.post('/contacts');
  t.is(res.status, 422);
  t.is(res.body.error.details.fields[0].field, '(body)');
});

test('query parameters are validated: types, bounds and unknown names', async (t) => {
  const { client } = await h.workspace();
  for (const bad of ['limit=0', 'limit=101', 'limit=abc']) {
    const res = await client.get(`/contacts?${bad}`);
    t.is(res.status, 422, bad);
    t.is(res.body.error.details.fields[0].field, 'limit');
  }
  const unknown = await client.get('/contacts?limt=5');
  t.is(unknown.status, 422);
  t.deepEqual(unknown.body.error.details.fields, [{ field: 'limt', problem: 'is not a known parameter' }]);
  t.is((await client.get('/contacts?limit=100')).status, 200);
});

test('a NUL character anywhere in the input is a 422 naming the field, not a failed insert', async (t) => {
  const { client, id } = await h.workspace();
  const res = await client.post('/contacts', { name: 'Nul\u0000Name', custom_fields: { nested: ['ok', 'bad\u0000'] } });
  t.is(res.status, 422);
  t.deepEqual(res.contractErrors, []);
  const fields = res.body.error.details.fields.map((f: { field: string }) => f.field).sort();
  t.deepEqual(fields, ['custom_fields.nested.1', 'name']);
  const key = await client.post('/contacts', { name: 'Key', idempotency_key: 'k\u0000' });
  t.is(key.status, 422);
  t.is(key.body.error.details.fields[0].field, 'idempotency_key');
  const query = await client.get(`/contacts?query=${encodeURIComponent('a\u0000b')}`);
  t.is(query.status, 422);
  t.is(query.body.error.details.fields[0].field, 'query');
  t.is(await contactCount(id), 0);
});
