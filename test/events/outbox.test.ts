import test from 'ava';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { createContact } from '../../modules/crm/directory/contacts.ts';

let h: Harness;
test.before(async () => { h = await bootHarness(); });
test.after.always(async () => { await h?.close(); });

const events = (workspaceId: string) => h.events(workspaceId);

test('a committed write records its domain events with the request id', async (t) => {
  const { client, id } = await h.workspace();
  const res = await client.post('/contacts', { name: 'Evented', email: 'ev@example.com', company_name: 'Event Co' });
  const rows = await events(id);
  t.deepEqual(rows.map((r) => r.type), ['company.created', 'contact.created']);
  t.is(rows[1]!.resource_id, res.body.data.id);
  t.is(rows[1]!.payload.email, 'ev@example.com');
  t.true(rows.every((r) => r.request_id === res.body.request_id));
});

test('a rejected write records no event', async (t) => {
  const { client, id } = await h.workspace();
  await client.post('/companies', { name: 'One', domain: 'one.example' });
  const dup = await client.post('/companies', { name: 'Two', domain: 'one.example' });
  t.is(dup.status, 409);
  const rejected = await client.post('/contacts', { name: 'X', company_id: 'com_missing' });
  t.is(rejected.status, 404);
  t.deepEqual((await events(id)).map((r) => r.type), ['company.created']);
});

test('a transaction that fails after the domain recorded its events leaves neither change nor event', async (t) => {
  const { id } = await h.workspace();
  const em = h.deps.orm.em.fork();
  await t.throwsAsync(em.transactional(async (tx) => {
    await createContact(h.tenant(id, tx), { name: 'Doomed', company_name: 'Doomed Co' });
    throw new Error('crash between the write and the commit');
  }), { message: /crash/ });
  t.deepEqual(await events(id), []);
  const rows = await em.getConnection().execute<{ n: string }[]>('select (select count(*) from contacts where workspace_id = ?) + (select count(*) from companies where workspace_id = ?) as n', [id, id]);
  t.is(Number(rows[0]!.n), 0);
});
