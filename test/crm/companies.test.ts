import test from 'ava';
import { bootHarness, type Harness } from '../helpers/harness.ts';

let h: Harness;
test.before(async () => { h = await bootHarness(); });
test.after.always(async () => { await h?.close(); });

test('createCompany answers 201 in the contract shape', async (t) => {
  const { client } = await h.workspace();
  const res = await client.post('/companies', { name: 'Acme Corp', domain: 'acme.com', website: 'https://acme.com', industry: 'Manufacturing', custom_fields: { size: 'smb' } });
  t.is(res.status, 201);
  t.deepEqual(res.contractErrors, []);
  t.regex(res.body.data.id, /^com_/);
  t.is(res.body.data.domain, 'acme.com');
  t.deepEqual(res.body.data.custom_fields, { size: 'smb' });
});

test('domains are unique per workspace regardless of case: 409 with the existing id', async (t) => {
  const { client } = await h.workspace();
  const first = await client.post('/companies', { name: 'Acme', domain: 'Acme.com' });
  t.is(first.body.data.domain, 'acme.com');
  const dup = await client.post('/companies', { name: 'Acme Two', domain: 'ACME.COM' });
  t.is(dup.status, 409);
  t.is(dup.body.error.details.existing_id, first.body.data.id);
  t.deepEqual(dup.contractErrors, []);
  t.is((await client.get('/companies')).body.data.length, 1);
});

test('an invalid domain or website answers 422 naming the field', async (t) => {
  const { client } = await h.workspace();
  const res = await client.post('/companies', { name: 'Bad', domain: 'not a domain' });
  t.is(res.status, 422);
  t.is(res.body.error.details.fields[0].field, 'domain');
  const web = await client.post('/companies', { name: 'Bad', website: 'nope' });
  t.is(web.status, 422);
  t.is(web.body.error.details.fields[0].field, 'website');
});

test('query searches name, domain, website and notes', async (t) => {
  const { client } = await h.workspace();
  await client.post('/companies', { name: 'Initech', domain: 'initech.example' });
  await client.post('/companies', { name: 'Globex', website: 'https://globex-corp.example/home', notes: 'Hank Scorpio runs it' });
  await client.post('/companies', { name: 'Umbrella', domain: 'umbrella.example' });
  const names = async (q: string) => (await client.get(`/companies?query=${encodeURIComponent(q)}`)).body.data.map((c: any) => c.name).sort();
  t.deepEqual(await names('initech.ex'), ['Initech']);
  t.deepEqual(await names('globex-corp'), ['Globex']);
  t.deepEqual(await names('scorpio'), ['Globex']);
  t.deepEqual(await names('UMBRELLA'), ['Umbrella']);
  t.deepEqual(await names('example'), ['Globex', 'Initech', 'Umbrella']);
  t.deepEqual(await names('umbrella.example'), ['Umbrella']);
});
