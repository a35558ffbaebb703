// The SLA workflow's activity against the real database: marks each missed target once, at its
// due time, with its event and timeline entry, and releases the ticket when nothing is left.
import test from 'ava';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { createSlaActivities } from '../../modules/support/sla/activities.ts';
import { createQueue } from '../../modules/support/queues.ts';
import { createTicket, updateTicket } from '../../modules/support/tickets.ts';
import { events, MINUTE } from './helpers.ts';

let h: Harness;
test.before(async () => { h = await bootHarness(); });
test.after.always(async () => { await h?.close(); });

const T0 = new Date('2026-03-02T09:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * MINUTE);

async function setup(targets: { first_response_target_minutes?: number; resolution_target_minutes?: number }) {
  const { id } = await h.workspace();
  const q = await h.inTx(id, (ctx) => createQueue(ctx, { key: 'q', name: 'Q', ...targets }));
  const { result: ticket } = await h.inTx(id, (ctx) => createTicket(ctx, { subject: 'Slow reply', queue_id: q.id }, T0));
  // This test plays the workflow itself: the command's run must not start elsewhere.
  await h.sql('update workflow_commands set dispatched_at = now() where resource_id = ?', [ticket.id]);
  return { workspaceId: id, ticketId: ticket.id };
}

const row = async (ticketId: string) => (await h.sql('select * from support_tickets where id = ?', [ticketId]))[0];

test('checkTicketSla marks a missed target once, at its due time, and answers the next due time', async (t) => {
  const { checkTicketSla } = createSlaActivities(h.deps);
  const input = await setup({ first_response_target_minutes: 60, resolution_target_minutes: 240 });
  t.deepEqual(await checkTicketSla({ ...input, now: at(30).getTime() }), { done: false, nextDeadline: at(60).getTime(), breached: [] });
  t.deepEqual(await checkTicketSla({ ...input, now: at(75).getTime() }), { done: false, nextDeadline: at(240).getTime(), breached: ['first_response'] });
  t.deepEqual(await checkTicketSla({ ...input, now: at(80).getTime() }), { done: false, nextDeadline: at(240).getTime(), breached: [] }, 'a retried read marks nothing twice');
  const ticket = await row(input.ticketId);
  t.deepEqual(new Date(ticket.first_response_breached_at), at(60), 'breached when it was due, not when noticed');
  t.is(ticket.resolution_breached_at, null);
  t.true(ticket.sla_run_active);
  const breaches = await events(h, input.workspaceId, 'support_ticket.sla_breached');
  t.deepEqual(breaches.map((e) => e.payload), [{ ticket_id: input.ticketId, target: 'first_response', due_at: at(60).toISOString(), queue_id: ticket.queue_id, status: 'new', priority: 'normal' }]);
  const [entry] = await h.sql("select summary, actor_type, related_resource_type from activities where related_resource_id = ?", [input.ticketId]);
  t.deepEqual(entry, { summary: 'First response SLA breached on ticket "Slow reply"', actor_type: 'system', related_resource_type: 'support_ticket' });

  t.deepEqual(await checkTicketSla({ ...input, now: at(300).getTime() }), { done: true, nextDeadline: null, breached: ['resolution'] });
  t.false((await row(input.ticketId)).sla_run_active, 'nothing left to watch: the run lets go of the ticket');
});

test('checkTicketSla on a resolved, a paused or a missing ticket marks nothing', async (t) => {
  const { checkTicketSla } = createSlaActivities(h.deps);
  const input = await setup({ first_response_target_minutes: 60 });
  await h.inTx(input.workspaceId, (ctx) => updateTicket(ctx, input.ticketId, { status: 'pending' }, at(10)));
  t.deepEqual(await checkTicketSla({ ...input, now: at(500).getTime() }), { done: false, nextDeadline: null, breached: [] });
  await h.inTx(input.workspaceId, (ctx) => updateTicket(ctx, input.ticketId, { status: 'resolved' }, at(20)));
  t.deepEqual(await checkTicketSla({ ...input, now: at(500).getTime() }), { done: true, nextDeadline: null, breached: [] });
  t.is((await row(input.ticketId)).first_response_breached_at, null);
  t.deepEqual(await checkTicketSla({ ...input, ticketId: 'ticket_missing', now: at(500).getTime() }), { done: true, nextDeadline: null, breached: [] });
  const other = await h.workspace();
  t.deepEqual(await checkTicketSla({ workspaceId: other.id, ticketId: input.ticketId, now: at(500).getTime() }), { done: true, nextDeadline: null, breached: [] }, 'scoped by workspace');
});

test('a write that gives a released ticket a running target again enqueues a new run; one that finds a run responsible asks to tell it', async (t) => {
  const { checkTicketSla } = createSlaActivities(h.deps);
  const input = await setup({ first_response_target_minutes: 60, resolution_target_minutes: 240 });
  const resolve = await h.inTx(input.workspaceId, (ctx) => updateTicket(ctx, input.ticketId, { status: 'resolved' }, at(10)));
  t.is(resolve.nudgeSla, input.ticketId, 'the running workflow is told');
  await checkTicketSla({ ...input, now: at(11).getTime() });
  t.false((await row(input.ticketId)).sla_run_active);
  const reopen = await h.inTx(input.workspaceId, (ctx) => updateTicket(ctx, input.ticketId, { status: 'open' }, at(30)));
  t.is(reopen.nudgeSla, null, 'no run to tell: a new one starts');
  const commands = await h.sql('select workflow_id, reuse, dispatched_at from workflow_commands where resource_id = ? order by id', [input.ticketId]);
  await h.sql('update workflow_commands set dispatched_at = now() where resource_id = ?', [input.ticketId]);
  t.is(commands.length, 2);
  t.like(commands[1], { workflow_id: `support-sla-${input.ticketId}`, reuse: 'allow_duplicate', dispatched_at: null });
  t.true((await row(input.ticketId)).sla_run_active);
  t.deepEqual(new Date((await row(input.ticketId)).resolution_due_at), at(260), 'the 20 minutes resolved were a pause');
});
