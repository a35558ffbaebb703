import test from 'ava';
import { bootHarness, type Harness } from '../helpers/harness.ts';

let h: Harness;
test.before(async () => { h = await bootHarness(); });
test.after.always(async () => { await h?.close(); });

test('createContact answers 201 with the contract shape and links company_name to a company', async (t) => {
  const { client } = await h.workspace();
  const res = await client.post('/contacts', { name: 'Jane Doe', email: 'jane@acme.com', company_name: 'Acme Corp' });
  t.is(res.status, 201);
  t.deepEqual(res.contractErrors, []);
  const contact = res.body.data;
  t.regex(contact.id, /^con_/);
  t.is(contact.company_name, 'Acme Corp');
  t.regex(contact.company_id, /^com_/);
  const companies = await client.get('/companies');
  t.deepEqual(companies.body.data.map((c: any) => [c.id, c.name]), [[contact.company_id, 'Acme Corp']]);

  const second = await client.post('/contacts', { name: 'John Roe', company_name: 'acme corp' });
  t.is(second.body.data.company_id, contact.company_id, 'the existing company is linked, case-insensitively');
  t.is(second.body.data.company_name, 'Acme Corp');
  t.is((await client.get('/companies')).body.data.length, 1);
});

test('concurrent contacts with a new company_name create that company once', async (t) => {
  const { client } = await h.workspace();
  const results = await Promise.all(Array.from({ length: 10 }, (_, i) => client.post('/contacts', { name: `P${i}`, company_name: 'Parallel Ltd' })));
  t.true(results.every((r) => r.status === 201));
  t.is(new Set(results.map((r) => r.body.data.company_id)).size, 1);
  t.is((await client.get('/companies')).body.data.length, 1);
});

test('company_id links an existing company; a mismatching company_name is a 422', async (t) => {
  const { client } = await h.workspace();
  const company = (await client.post('/companies', { name: 'Globex' })).body.data;
  const linked = await client.post('/contacts', { name: 'Hank', company_id: company.id });
  t.is(linked.body.data.company_name, 'Globex');
  const mismatch = await client.post('/contacts', { name: 'Hank 2', company_id: company.id, company_name: 'Initech' });
  t.is(mismatch.status, 422);
  t.is(mismatch.body.error.details.field, 'company_name');
  const missing = await client.post('/contacts', { name: 'Ghost', company_id: 'com_doesnotexist' });
  t.is(missing.status, 404);
});

test('emails are unique per workspace regardless of case: 409 with the existing id', async (t) => {
  const { client } = await h.workspace();
  const first = await client.post('/contacts', { name: 'Ann', email: 'Ann@Example.com' });
  const dup = await client.post('/contacts', { name: 'Ann Again', email: 'ann@example.COM' });
  t.is(dup.status, 409);
  t.is(dup.body.error.code, 'already_exists');
  t.is(dup.body.error.details.existing_id, first.body.data.id);
  t.deepEqual(dup.contractErrors, []);
  const racers = await Promise.all(Array.from({ length: 8 }, () => client.post('/contacts', { name: 'Racer', email: 'race@example.com' })));
  t.is(racers.filter((r) => r.status === 201).length, 1);
  t.is(racers.filter((r) => r.status === 409).length, 7);
});

test('custom_fields round-trip as a JSON object', async (t) => {
  const { client } = await h.workspace();
  const fields = { tier: 'gold', seats: 12, tags: ['a', 'b'], nested: { ok: true } };
  const res = await client.post('/contacts', { name: 'Custom', custom_fields: fields });
  t.deepEqual(res.body.data.custom_fields, fields);
  const listed = await client.get('/contacts');
  t.deepEqual(listed.body.data[0].custom_fields, fields);
});

test('query searches name, email, company and notes; company_id filters', async (t) => {
  const { client } = await h.workspace();
  const acme = (await client.post('/companies', { name: 'Acme Rockets' })).body.data;
  await client.post('/contacts', { name: 'Wile Coyote', email: 'wile@desert.example', company_id: acme.id });
  await client.post('/contacts', { name: 'Road Runner', email: 'beep@fast.example', notes: 'Never caught; loves birdseed' });
  await client.post('/contacts', { name: 'Elmer', email: 'elmer@hunt.example' });
  const names = async (q: string) => (await client.get(`/contacts?${q}`)).body.data.map((c: any) => c.name).sort();
  t.deepEqual(await names('query=coyote'), ['Wile Coyote']);
  t.deepEqual(await names('query=FAST.example'), ['Road Runner']);
  t.deepEqual(await names('query=rockets'), ['Wile Coyote']);
  t.deepEqual(await names('query=birdseed'), ['Road Runner']);
  t.deepEqual(await names('query=100%25'), []);
  t.deepEqual(await names(`company_id=${acme.id}`), ['Wile Coyote']);
  t.deepEqual(await names(`company_id=${acme.id}&query=elmer`), []);
});

test('the free-text search is served by the trigram index, not a table scan', async (t) => {
  const { id } = await h.workspace();
  const conn = h.deps.orm.em.fork().getConnection();
  // A workspace of realistic size, so the planner's choice reflects production.
  await conn.execute(`insert into contacts (id, workspace_id, name, email, custom_fields)
    select 'con_bulk' || lpad(g::text, 6, '0') || ?, ?, 'Person ' || g, 'person' || g || '@bulk.example', '{}'::jsonb
    from generate_series(1, 30000) g`, [id.slice(-6), id]);
  await conn.execute(`insert into contacts (id, workspace_id, name, custom_fields) values (?, ?, 'Wile Coyote', '{}'::jsonb)`, [`con_wile${id.slice(-6)}`, id]);
  await conn.execute('analyze contacts');
  const plan = await conn.execute<{ 'QUERY PLAN': string }[]>(
    `explain select id from contacts where workspace_id = ? and search_text like ? order by id desc limit 26`, [id, '%coyote%']);
  const text = plan.map((r) => r['QUERY PLAN']).join('\n');
  t.regex(text, /Bitmap Index Scan on contacts_search_idx/, text);
  t.notRegex(text, /Seq Scan/);
  const { client } = { client: (await h.workspace()).client };
  t.deepEqual((await client.get('/contacts?query=coyote')).body.data, [], 'and the bulk rows stay in their workspace');
});
