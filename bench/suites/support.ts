// Support desk: ticket search over subject, description and message bodies on a workspace of
// BENCH_TICKETS tickets with three messages each (100k tickets, 300k messages), beside a neighbour
// workspace of the same size; plus the filtered list and the writes that grow the search text.
import { sql } from '../../platform/db.ts';
import { createWorkspace } from '../../kernel/tenancy/workspaces.ts';
import { measure } from '../measure.ts';
import type { BenchSuite } from '../suite.ts';

const SEEDED_TICKETS = Number(process.env.BENCH_TICKETS ?? 100_000);
const MESSAGES_PER_TICKET = 3;

const SUBJECTS = ['Cannot download invoice', 'Login loop after password reset', 'Refund for a double charge', 'Parcel not delivered',
  'App crashes on start', 'Change the billing address', 'Question about upgrading the plan', 'Export to CSV fails'];
const BODIES = ['Hi, I tried again this morning and it still does not work.', 'Could you please check my account.',
  'We are looking into it and will come back to you shortly.', 'The courier says the parcel left the depot.',
  'Attached is a screenshot of the error message.', 'Thanks, that solved it!'];
const STATUSES = ['new', 'open', 'pending', 'waiting_on_customer', 'resolved', 'closed'];

/** A SQL text array of code constants (no `?`: the driver would take it for a parameter). */
const textArray = (items: string[]) => `(array[${items.map((s) => `'${s.replace(/'/g, "''")}'`).join(', ')}])`;
/** Message k of ticket g (the same expression seeds the messages and the ticket's search text). */
const body = (g: string, k: string) => `${textArray(BODIES)}[1 + (${g} + ${k}) % ${BODIES.length}] || ' Ref TRK' || (${g} * ${MESSAGES_PER_TICKET} + ${k}) || '.'`;

export async function seedSupportWorkspace(em: Parameters<typeof sql>[0], workspaceId: string): Promise<void> {
  const messageText = Array.from({ length: MESSAGES_PER_TICKET }, (_, k) => `chr(10) || ${body('g', String(k + 1))}`).join(' || ');
  await sql(em, `insert into support_tickets (id, workspace_id, subject, description, status, priority, source, category,
      custom_fields, message_text, resolved_at, closed_at, sla_paused_at, created_at, updated_at)
    select 'ticket_' || md5(? || g), ?, ${textArray(SUBJECTS)}[1 + g % ${SUBJECTS.length}] || ' (order ' || g || ')',
      'Customer ' || g || ' wrote in about it.', st, (array['low', 'normal', 'high', 'urgent'])[1 + g % 4],
      (array['email', 'chat', 'web', 'api'])[1 + g % 4], (array['billing', 'shipping', 'account', 'bugs'])[1 + g % 4],
      jsonb_build_object('plan', (array['free', 'pro', 'enterprise'])[1 + g % 3], 'seats', g % 50), ${messageText},
      case when st in ('resolved', 'closed') then now() end, case when st = 'closed' then now() end,
      case when st not in ('new', 'open') then now() end, now() - g * interval '1 minute', now()
    from generate_series(1, ?) g, lateral (select ${textArray(STATUSES)}[1 + g % ${STATUSES.length}] as st) s`,
  [workspaceId, workspaceId, SEEDED_TICKETS]);
  await sql(em, `insert into support_ticket_messages (id, workspace_id, ticket_id, direction, channel, body, created_at)
    select 'msg_' || md5(? || g || '-' || k), ?, 'ticket_' || md5(? || g), case when k % 2 = 1 then 'inbound' else 'outbound' end,
      'email', ${body('g', 'k')}, now() - g * interval '1 minute' + k * interval '1 second'
    from generate_series(1, ?) g, generate_series(1, ${MESSAGES_PER_TICKET}) k`,
  [workspaceId, workspaceId, workspaceId, SEEDED_TICKETS]);
}

export const supportBench: BenchSuite = async ({ deps, workspaceId, get, post, say }) => {
  const em = deps.orm.em.fork();
  const other = await createWorkspace(em, { name: 'Support neighbour' });
  for (const id of [workspaceId, other.id]) {
    say(`seeding ${SEEDED_TICKETS} tickets with ${SEEDED_TICKETS * MESSAGES_PER_TICKET} messages in workspace ${id}...`);
    await seedSupportWorkspace(em, id);
  }
  // A bulk load leaves the trigram index's pending list full and the visibility map empty; a
  // table at work has been vacuumed by then, and that is what the searches should meet.
  await sql(em, 'vacuum (analyze) support_tickets, support_ticket_messages');
  const [first] = await sql<{ id: string }[]>(em, 'select id from support_tickets where workspace_id = ? and status = ? order by id desc limit 1', [workspaceId, 'open']);
  let n = 0;
  const someTicket = () => 1 + ((n++ * 7919) % SEEDED_TICKETS);
  return [
    await measure('GET /support/tickets?query (a message body, 100k tickets)', 300, 1,
      () => get(`/support/tickets?query=${encodeURIComponent(`trk${someTicket() * MESSAGES_PER_TICKET + 2}.`)}`), { p95Ms: 50 }),
    await measure('GET /support/tickets?query (a subject)', 300, 1, () => get(`/support/tickets?query=${encodeURIComponent(`(order ${someTicket()})`)}`), { p95Ms: 50 }),
    await measure('GET /support/tickets?query (broad, limit=100)', 200, 1, () => get('/support/tickets?query=parcel&limit=100'), { p95Ms: 80 }),
    await measure('GET /support/tickets?status&priority&category', 300, 1, () => get('/support/tickets?status=open&priority=urgent&category=bugs'), { p95Ms: 50 }),
    await measure('GET /support/tickets (first page)', 300, 1, () => get('/support/tickets'), { p95Ms: 30 }),
    await measure('POST /support/tickets', 300, 1, () => post('/support/tickets', { subject: `Bench ticket ${n++}`, priority: 'high' }), { p95Ms: 60 }),
    await measure('POST /support/tickets/{id}/messages (grows the search text)', 300, 1,
      () => post(`/support/tickets/${first!.id}/messages`, { direction: 'inbound', body: `Follow-up ${n++}: still waiting.` }), { p95Ms: 80 }),
  ];
};
