import test from 'ava';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { helper } from '@mikro-orm/postgresql';
import { createContact } from '../../modules/crm/directory/contacts.ts';
import { ContactSchema } from '../../modules/crm/directory/entities.ts';
import { insertCreated } from '../../kernel/outbox.ts';
import { newId } from '../../platform/ids.ts';

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

test('insertCreated writes the row and its event by hand, and leaves the entity managed: a later change is an update, not a second insert', async (t) => {
  const { id } = await h.workspace();
  const contact = await h.inTx(id, async (ctx) => {
    const created = await createContact(ctx, { name: 'Managed', email: 'managed@example.com' });
    t.true(helper(created).__managed, 'managed after the insert');
    created.title = 'Changed in the same unit of work';
    await ctx.em.flush();
    return created;
  });
  const [row] = await h.sql<{ title: string; custom_fields: object; created_at: string | Date }>('select title, custom_fields, created_at from contacts where id = ?', [contact.id]);
  t.is(row!.title, 'Changed in the same unit of work');
  t.deepEqual(row!.custom_fields, {});
  t.is(new Date(row!.created_at).toISOString(), contact.created_at.toISOString());
  t.deepEqual((await events(id)).map((r) => [r.type, r.resource_id]), [['contact.created', contact.id]]);
});

test('insertCreated of an entity an earlier flush already wrote inserts it once and records its event', async (t) => {
  const { id } = await h.workspace();
  const contactId = await h.inTx(id, async (ctx) => {
    const now = new Date();
    const contact = ctx.em.create(ContactSchema, { id: newId('con'), workspace_id: id, name: 'Flushed first', custom_fields: {}, created_at: now, updated_at: now });
    await ctx.em.flush();
    await insertCreated(ctx, 'contact', contact, { id: contact.id });
    return contact.id;
  });
  t.deepEqual((await events(id)).map((r) => [r.type, r.resource_id]), [['contact.created', contactId]]);
  t.is((await h.sql<{ n: number }>('select count(*)::int as n from contacts where workspace_id = ?', [id]))[0]!.n, 1);
});
