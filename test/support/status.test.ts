// The ticket status state machine, through the API, against its table (modules/support/ticket-
// status.ts) and the README's; and what the moves do to the timestamps and the SLA clock.
import test from 'ava';
import { readFileSync } from 'node:fs';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { TRANSITIONS } from '../../modules/support/ticket-status.ts';
import { TICKET_STATUSES, type TicketStatus } from '../../modules/support/entities.ts';
import { createTicket, updateTicket } from '../../modules/support/tickets.ts';
import { createQueue } from '../../modules/support/queues.ts';
import { serializeTicket } from '../../modules/support/serializers.ts';
import { events, MINUTE, ticket, timeline } from './helpers.ts';

let h: Harness;
test.before(async () => { h = await bootHarness(); });
test.after.always(async () => { await h?.close(); });

/** A ticket brought to `status` the shortest legal way. */
async function ticketIn(client: Awaited<ReturnType<Harness['workspace']>>['client'], status: TicketStatus) {
  const created = await ticket(client, { subject: `In ${status}` });
  if (status === 'new') return created;
  const res = await client.patch(`/support/tickets/${created.id}`, { status });
  if (res.status !== 200) throw new Error(`new → ${status} answered ${res.status}`);
  return res.body.data;
}

test('every move the table allows succeeds; every other answers 422 rule_violation naming both states', async (t) => {
  const { client } = await h.workspace();
  for (const from of TICKET_STATUSES) {
    for (const to of TICKET_STATUSES) {
      if (from === to) continue;
      const current = await ticketIn(client, from);
      const res = await client.patch(`/support/tickets/${current.id}`, { status: to });
      t.deepEqual(res.contractErrors, []);
      if (TRANSITIONS[from].includes(to)) {
        t.is(res.status, 200, `${from} → ${to}`);
        t.is(res.body.data.status, to);
      } else {
        t.is(res.status, 422, `${from} → ${to}`);
        t.is(res.body.error.code, 'rule_violation');
        t.like(res.body.error.details, { field: 'status', from, to });
        t.regex(res.body.error.message, new RegExp(`from ${from} to ${to}`));
      }
    }
  }
  const stay = await ticketIn(client, 'closed');
  const res = await client.patch(`/support/tickets/${stay.id}`, { status: 'closed', category: 'archive' });
  t.is(res.status, 200, 'staying put is no move; other fields of a closed ticket still change');
});

test('the README documents the same state machine', (t) => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const rows = readme.split('\n').filter((line) => /^\| `(new|open|pending|waiting_on_customer|resolved|closed)` \|/.test(line));
  const documented = Object.fromEntries(rows.map((line) => {
    const [from, to] = line.split('|').slice(1, 3).map((cell) => [...cell.matchAll(/`([a-z_]+)`/g)].map((m) => m[1]));
    return [from![0], to];
  }));
  t.deepEqual(documented, Object.fromEntries(TICKET_STATUSES.map((s) => [s, [...TRANSITIONS[s]]])));
});

test('resolved_at and closed_at are set and cleared by the moves, and the clock stops outside new and open', async (t) => {
  const { id, client } = await h.workspace();
  const created = await ticket(client);
  const resolved = (await client.patch(`/support/tickets/${created.id}`, { status: 'resolved' })).body.data;
  t.truthy(resolved.resolved_at);
  t.is(resolved.closed_at, null);
  t.is(resolved.sla_paused_at, resolved.resolved_at);
  const reopened = (await client.patch(`/support/tickets/${created.id}`, { status: 'open' })).body.data;
  t.like(reopened, { resolved_at: null, closed_at: null, sla_paused_at: null });
  const again = (await client.patch(`/support/tickets/${created.id}`, { status: 'resolved' })).body.data;
  const closed = (await client.patch(`/support/tickets/${created.id}`, { status: 'closed' })).body.data;
  t.is(closed.resolved_at, again.resolved_at, 'closing keeps when it was resolved');
  t.truthy(closed.closed_at);
  const direct = (await client.patch(`/support/tickets/${(await ticket(client)).id}`, { status: 'closed' })).body.data;
  t.like(direct, { resolved_at: null, status: 'closed' });
  t.truthy(direct.closed_at);

  const moves = (await events(h, id, 'support_ticket.updated')).filter((e) => e.resource_id === created.id);
  t.deepEqual(moves.map((e) => e.payload.status), ['resolved', 'open', 'resolved', 'closed']);
  t.deepEqual(moves[1]!.payload.changed_fields.sort(), ['resolved_at', 'sla_paused_at', 'status']);
  const entries = await timeline(client, created.id);
  t.deepEqual(entries.map((e) => e.summary), [
    'Ticket "Customer cannot download invoice" moved from new to resolved',
    'Ticket "Customer cannot download invoice" moved from resolved to open',
    'Ticket "Customer cannot download invoice" moved from open to resolved',
    'Ticket "Customer cannot download invoice" moved from resolved to closed',
  ]);
});

test('a pause (pending, waiting on the customer) is added to the running due times when the clock runs again', async (t) => {
  const { id } = await h.workspace();
  const t0 = new Date('2026-03-02T09:00:00Z');
  const at = (minutes: number) => new Date(t0.getTime() + minutes * MINUTE);
  const q = await h.inTx(id, (ctx) => createQueue(ctx, { key: 'std', name: 'Standard', first_response_target_minutes: 120, resolution_target_minutes: 480 }));
  const { result: created } = await h.inTx(id, (ctx) => createTicket(ctx, { subject: 'Paused', queue_id: q.id }, t0));
  const move = async (status: TicketStatus, minutes: number) =>
    serializeTicket((await h.inTx(id, (ctx) => updateTicket(ctx, created.id, { status }, at(minutes)))).result);
  t.like(await move('pending', 30), { sla_paused_at: at(30).toISOString(), first_response_due_at: at(120).toISOString() });
  t.like(await move('waiting_on_customer', 60), { sla_paused_at: at(30).toISOString() }, 'one pause across two waiting statuses');
  const resumed = await move('open', 90);
  t.like(resumed, { sla_paused_at: null, first_response_due_at: at(180).toISOString(), resolution_due_at: at(540).toISOString() });
  const [row] = await h.sql('select sla_paused_ms from support_tickets where id = ?', [created.id]);
  t.is(Number(row.sla_paused_ms), 60 * MINUTE);
  // A queue move computes again from created_at + target + the finished pauses.
  const q2 = await h.inTx(id, (ctx) => createQueue(ctx, { key: 'slow', name: 'Slow', first_response_target_minutes: 600 }));
  const moved = serializeTicket((await h.inTx(id, (ctx) => updateTicket(ctx, created.id, { queue_id: q2.id }, at(100)))).result);
  t.like(moved, { first_response_due_at: at(660).toISOString(), resolution_due_at: null });
});
