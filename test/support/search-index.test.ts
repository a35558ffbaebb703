// The ticket list's free-text search and custom-field filter are served by their indexes on a
// workspace of realistic size (the benchmark measures the speed; this proves the plan).
import test from 'ava';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { SupportTicketSchema } from '../../modules/support/entities.ts';
import { customFieldFilter } from '../../kernel/custom-field-filter.ts';
import { containsPattern } from '../../kernel/pagination.ts';
import { ticket } from './helpers.ts';

let h: Harness;
test.before(async () => { h = await bootHarness(); });
test.after.always(async () => { await h?.close(); });

test('query over subject, description and messages, and the custom-field filter, use their indexes, not a table scan', async (t) => {
  const { id, client } = await h.workspace();
  await h.sql(`insert into support_tickets (id, workspace_id, subject, description, status, priority, source, custom_fields, message_text, sla_paused_at)
    select 'ticket_bulk' || lpad(g::text, 6, '0') || ?, ?, 'Order ' || g || ' did not arrive', 'Customer ' || g || ' waits for a parcel',
      'pending', 'normal', 'email', jsonb_build_object('plan', case when g % 3 = 0 then 'free' else 'pro' end, 'seats', g % 50),
      chr(10) || 'Tracking number TRK' || g || ' shows no movement' || chr(10) || 'We asked the courier about parcel ' || g, now()
    from generate_series(1, 30000) g`, [id.slice(-6), id]);
  const needle = await ticket(client, { subject: 'Blue screen on login', custom_fields: { plan: 'sapphire', partner: 'acme' } });
  await client.post(`/support/tickets/${needle.id}/messages`, { direction: 'inbound', body: 'Error code ZX-41 after the update' });
  await h.sql('analyze support_tickets');

  // EXPLAIN the SQL the ORM builds for listSupportTickets' filters (as findPage scopes and orders it).
  const plan = async (filter: Record<string, unknown>) => {
    const query = h.deps.orm.em.fork().createQueryBuilder(SupportTicketSchema)
      .select('id').where({ $and: [{ workspace_id: id }, filter] }).orderBy({ id: 'desc' }).limit(26).getFormattedQuery();
    const rows = await h.sql<{ 'QUERY PLAN': string }>(`explain ${query}`);
    return `${query}\n${rows.map((r) => r['QUERY PLAN']).join('\n')}`;
  };
  for (const text of ['zx-41', 'blue screen', 'trk12345 ']) {
    const search = await plan({ search_text: { $like: containsPattern(text) } });
    t.regex(search, /Bitmap Index Scan on support_tickets_search_idx/, search);
    t.notRegex(search, /Seq Scan/);
  }
  const containment = await plan(customFieldFilter('plan', 'sapphire')!);
  t.regex(containment, /Bitmap Index Scan on support_tickets_custom_fields_idx/, containment);
  const keyOnly = await plan(customFieldFilter('partner', undefined)!);
  t.regex(keyOnly, /Bitmap Index Scan on support_tickets_custom_fields_idx/, keyOnly);

  const subjects = async (q: string) => (await client.get(`/support/tickets?${q}`)).body.data.map((x: any) => x.subject);
  t.deepEqual(await subjects('query=zx-41'), ['Blue screen on login'], 'found by its message');
  t.deepEqual(await subjects('query=TRK12345%20'), ['Order 12345 did not arrive']);
  t.deepEqual(await subjects('custom_field_key=plan&custom_field_value=sapphire'), ['Blue screen on login']);
  t.is((await client.get('/support/tickets?query=parcel&limit=100')).body.data.length, 100, 'a broad search pages like any list');
});

test('support_ticket is a related-resource type: tasks and activities may point at a ticket of the workspace', async (t) => {
  const a = await h.workspace();
  const b = await h.workspace();
  const mine = await ticket(a.client);
  const theirs = await ticket(b.client);
  const task = await a.client.post('/tasks', { title: 'Call the customer back', related_resource_type: 'support_ticket', related_resource_id: mine.id });
  t.is(task.status, 201);
  t.deepEqual(task.contractErrors, []);
  const foreign = await a.client.post('/activities', { type: 'call', summary: 'Called', related_resource_type: 'support_ticket', related_resource_id: theirs.id });
  t.is(foreign.status, 404);
  t.deepEqual(foreign.body.error.details, { resource: 'support_ticket', id: theirs.id });
});
