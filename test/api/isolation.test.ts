import test from 'ava';
import { bootHarness, type Harness } from '../helpers/harness.ts';

let h: Harness;
test.before(async () => { h = await bootHarness(); });
test.after.always(async () => { await h?.close(); });

test('lists never include another workspace\'s rows, even when searched for', async (t) => {
  const a = await h.workspace();
  const b = await h.workspace();
  const company = await a.client.post('/companies', { name: 'Secret Corp', domain: 'secret.example' });
  await a.client.post('/contacts', { name: 'Secret Agent', email: 'agent@secret.example', company_id: company.body.data.id });
  const bContacts = await b.client.get('/contacts?query=secret');
  t.deepEqual(bContacts.body.data, []);
  const bCompanies = await b.client.get('/companies?query=secret');
  t.deepEqual(bCompanies.body.data, []);
  t.deepEqual((await b.client.get(`/contacts?company_id=${company.body.data.id}`)).body.data, []);
  t.is((await a.client.get('/contacts?query=secret')).body.data.length, 1);
});

test('another workspace\'s ids answer 404 and create nothing', async (t) => {
  const a = await h.workspace();
  const b = await h.workspace();
  const company = await a.client.post('/companies', { name: 'A Only' });
  const res = await b.client.post('/contacts', { name: 'Sneaky', company_id: company.body.data.id });
  t.is(res.status, 404);
  t.is(res.body.error.code, 'not_found');
  t.deepEqual(res.contractErrors, []);
  t.deepEqual((await b.client.get('/contacts')).body.data, []);
});

test('the same email and domain may exist in two workspaces', async (t) => {
  const a = await h.workspace();
  const b = await h.workspace();
  t.is((await a.client.post('/contacts', { name: 'Jo', email: 'jo@shared.example' })).status, 201);
  t.is((await b.client.post('/contacts', { name: 'Jo', email: 'jo@shared.example' })).status, 201);
  t.is((await a.client.post('/companies', { name: 'Shared', domain: 'shared.example' })).status, 201);
  t.is((await b.client.post('/companies', { name: 'Shared', domain: 'shared.example' })).status, 201);
});
