// The SLA workflow with its real activity against the harness's PostgreSQL, in Temporal's
// time-skipping test server: two-hour targets pass in seconds. Tickets change through the domain
// functions at the workflow's clock, their commands start on the test server through the real
// runner, and the runner's signal tells the run (or, to show a lost signal, does not). Serial:
// time skips for the whole server.
import test from 'ava';
import { fileURLToPath } from 'node:url';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { timeSkippingEnvironment, timeSkippingWorker } from '../helpers/time-skipping.ts';
import { createWorkflowRunner, type CommandDispatcher } from '../../app/workflow-runner.ts';
import type { TenantContext } from '../../kernel/tenant.ts';
import { createSlaActivities } from '../../modules/support/sla/activities.ts';
import { SLA_CHANGED_SIGNAL, slaWorkflowId, type SlaProgress } from '../../modules/support/sla/types.ts';
import { createQueue } from '../../modules/support/queues.ts';
import { createTicket, updateTicket, type TicketWrite } from '../../modules/support/tickets.ts';
import { addMessage } from '../../modules/support/messages.ts';
import { events, MINUTE } from './helpers.ts';

const workflowsPath = fileURLToPath(new URL('../../modules/support/sla/workflow.ts', import.meta.url));
const TASK_QUEUE = 'support-sla-timers';
const HOUR = 60 * MINUTE;

let h: Harness;
let env: TestWorkflowEnvironment;
let runner: CommandDispatcher;
let worker: { instance: Worker; running: Promise<void> };

const startWorker = async () => {
  // No workflow cache, so no sticky queue: every workflow task replays the run from its history
  // (what a restarted worker does), and a stopped worker holds no task that time would wait for.
  const instance = await timeSkippingWorker(env, TASK_QUEUE, workflowsPath, createSlaActivities(h.deps), { maxCachedWorkflows: 0 });
  return { instance, running: instance.run() };
};
const stopWorker = async () => { worker.instance.shutdown(); await worker.running; };

test.before(async () => {
  h = await bootHarness();
  env = await timeSkippingEnvironment();
  runner = createWorkflowRunner({ orm: h.deps.orm, temporal: env.client, taskQueue: TASK_QUEUE, logger: h.deps.logger });
  worker = await startWorker();
});
test.after.always(async () => {
  if (worker) await stopWorker();
  await env?.teardown();
  await h?.close();
});

const now = async () => new Date(await env.currentTimeMs());

/**
 * A ticket write at the workflow's clock, committed, then what the API does after the commit:
 * start the enqueued commands (on the test server) and signal the run unless told to lose it.
 */
async function commit<T>(workspaceId: string, work: (ctx: TenantContext, at: Date) => Promise<TicketWrite<T>>, opts: { signal?: boolean } = {}): Promise<T> {
  const at = await now();
  const { out, enqueued } = await h.deps.orm.em.fork().transactional(async (em) => {
    const ctx = h.tenant(workspaceId, em);
    return { out: await work(ctx, at), enqueued: ctx.enqueued };
  });
  if (enqueued.length) {
    const started = await runner.dispatch(enqueued);
    if (started.size !== enqueued.length) throw new Error('an SLA run did not start on the test server');
  }
  if (out.nudgeSla && opts.signal !== false) await runner.signal(slaWorkflowId(out.nudgeSla), SLA_CHANGED_SIGNAL);
  return out.result;
}

/** Waits (in real time, briefly) until the run has made more than `reads` reads and sleeps again. */
async function settled(ticketId: string, reads: number): Promise<SlaProgress> {
  const handle = env.client.workflow.getHandle(slaWorkflowId(ticketId));
  // A deadline rather than a count of tries: on a loaded machine each query takes longer.
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const progress = await handle.query<SlaProgress>('slaProgress');
    if (progress.reads > reads && progress.sleepingUntil !== null) return progress;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the SLA run of ${ticketId} did not settle after ${reads} reads`);
}

async function setup(targets: { first_response_target_minutes?: number; resolution_target_minutes?: number }) {
  const { id } = await h.workspace();
  const queue = await h.inTx(id, (ctx) => createQueue(ctx, { key: 'std', name: 'Standard', ...targets }));
  const created = await commit(id, (ctx, at) => createTicket(ctx, { subject: 'Printer on fire', queue_id: queue.id }, at));
  const progress = await settled(created.id, 0);
  return { workspaceId: id, ticketId: created.id, createdAt: created.created_at, progress };
}

const row = async (ticketId: string) => (await h.sql('select * from support_tickets where id = ?', [ticketId]))[0];
const breachedAt = async (ticketId: string) => {
  const r = await row(ticketId);
  return { first_response: r.first_response_breached_at && new Date(r.first_response_breached_at).toISOString(), resolution: r.resolution_breached_at && new Date(r.resolution_breached_at).toISOString() };
};
const iso = (from: Date, ms: number) => new Date(from.getTime() + ms).toISOString();

test.serial('no outbound message by the due time: the first response is marked breached at the due time; resolving ends the run', async (t) => {
  const { workspaceId, ticketId, createdAt, progress } = await setup({ first_response_target_minutes: 120, resolution_target_minutes: 480 });
  t.true(progress.sleepingUntil! <= createdAt.getTime() + HOUR + 5_000, 'it sleeps at most an hour between reads');
  const wallStart = Date.now();
  await env.sleep(119 * MINUTE);
  let reads = (await settled(ticketId, 1)).reads;
  t.deepEqual(await breachedAt(ticketId), { first_response: null, resolution: null });
  await env.sleep(2 * MINUTE);
  const after = await settled(ticketId, reads);
  t.deepEqual(after.breaches, ['first_response']);
  t.deepEqual(await breachedAt(ticketId), { first_response: iso(createdAt, 120 * MINUTE), resolution: null });
  t.true(Date.now() - wallStart < 60_000, 'two hours of workflow time passed in seconds');
  const [breach] = await events(h, workspaceId, 'support_ticket.sla_breached');
  t.like(breach!.payload, { ticket_id: ticketId, target: 'first_response', due_at: iso(createdAt, 120 * MINUTE) });

  reads = after.reads;
  await commit(workspaceId, (ctx, at) => updateTicket(ctx, ticketId, { status: 'resolved' }, at));
  const outcome = await env.client.workflow.getHandle(slaWorkflowId(ticketId)).result();
  t.deepEqual(outcome.breaches, ['first_response'], 'the resolution target was not missed');
  t.false((await row(ticketId)).sla_run_active);
  t.is((await events(h, workspaceId, 'support_ticket.sla_breached')).length, 1);
});

test.serial('an outbound reply before the due time stops the first-response timer; the resolution target keeps running', async (t) => {
  const { workspaceId, ticketId, createdAt } = await setup({ first_response_target_minutes: 120, resolution_target_minutes: 480 });
  await env.sleep(30 * MINUTE);
  let reads = (await settled(ticketId, 0)).reads;
  await commit(workspaceId, (ctx, at) => addMessage(ctx, ticketId, { direction: 'outbound', body: 'We are on it.' }, at));
  reads = (await settled(ticketId, reads)).reads;
  await env.sleep(3 * HOUR);
  reads = (await settled(ticketId, reads)).reads;
  t.deepEqual(await breachedAt(ticketId), { first_response: null, resolution: null }, 'answered in time');
  await env.sleep(5 * HOUR);
  const outcome = await env.client.workflow.getHandle(slaWorkflowId(ticketId)).result();
  t.deepEqual(outcome.breaches, ['resolution'], 'nothing left to watch once the resolution target was missed');
  t.deepEqual(await breachedAt(ticketId), { first_response: null, resolution: iso(createdAt, 480 * MINUTE) });
  t.false((await row(ticketId)).sla_run_active);
});

test.serial('waiting on the customer pauses the clock; the customer\'s reply resumes it with the pause added to the due time', async (t) => {
  const { workspaceId, ticketId, createdAt } = await setup({ first_response_target_minutes: 120 });
  await env.sleep(30 * MINUTE);
  let reads = (await settled(ticketId, 0)).reads;
  await commit(workspaceId, (ctx, at) => updateTicket(ctx, ticketId, { status: 'waiting_on_customer' }, at));
  reads = (await settled(ticketId, reads)).reads;
  const pausedAt = new Date((await row(ticketId)).sla_paused_at);
  await env.sleep(4 * HOUR);
  reads = (await settled(ticketId, reads)).reads;
  t.deepEqual(await breachedAt(ticketId), { first_response: null, resolution: null }, 'a standing clock misses nothing');
  const reply = await commit(workspaceId, (ctx, at) => addMessage(ctx, ticketId, { direction: 'inbound', body: 'Here is the log.' }, at));
  const paused = reply.created_at.getTime() - pausedAt.getTime();
  const due = iso(createdAt, 120 * MINUTE + paused);
  const resumed = await row(ticketId);
  t.like({ status: resumed.status, due: new Date(resumed.first_response_due_at).toISOString() }, { status: 'open', due });
  reads = (await settled(ticketId, reads)).reads;
  await env.sleep(Date.parse(due) - (await env.currentTimeMs()) - MINUTE);
  reads = (await settled(ticketId, reads)).reads;
  t.deepEqual(await breachedAt(ticketId), { first_response: null, resolution: null }, 'a minute before the moved due time');
  await env.sleep(2 * MINUTE);
  const outcome = await env.client.workflow.getHandle(slaWorkflowId(ticketId)).result();
  t.deepEqual(outcome.breaches, ['first_response']);
  t.deepEqual(await breachedAt(ticketId), { first_response: due, resolution: null });
});

test.serial('moving the ticket to another queue recomputes the due time the run sleeps toward, shorter or longer', async (t) => {
  const { workspaceId, ticketId, createdAt } = await setup({ first_response_target_minutes: 120 });
  const longer = await h.inTx(workspaceId, (ctx) => createQueue(ctx, { key: 'slow', name: 'Slow', first_response_target_minutes: 240 }));
  const shorter = await h.inTx(workspaceId, (ctx) => createQueue(ctx, { key: 'fast', name: 'Fast', first_response_target_minutes: 100 }));
  await env.sleep(60 * MINUTE);
  let reads = (await settled(ticketId, 0)).reads;
  await commit(workspaceId, (ctx, at) => updateTicket(ctx, ticketId, { queue_id: longer.id }, at));
  reads = (await settled(ticketId, reads)).reads;
  await env.sleep(65 * MINUTE);
  reads = (await settled(ticketId, reads)).reads;
  t.deepEqual(await breachedAt(ticketId), { first_response: null, resolution: null }, 'past the old queue\'s due time, before the new one\'s');
  await commit(workspaceId, (ctx, at) => updateTicket(ctx, ticketId, { queue_id: shorter.id }, at));
  const outcome = await env.client.workflow.getHandle(slaWorkflowId(ticketId)).result();
  t.deepEqual(outcome.breaches, ['first_response']);
  t.is(outcome.reads, reads + 1, 'the new due time had passed: the read the signal caused marked it');
  t.deepEqual(await breachedAt(ticketId), { first_response: iso(createdAt, 100 * MINUTE), resolution: null });
});

test.serial('a lost signal only delays the breach: the run finds it on its next own read, dated when it was due', async (t) => {
  const { workspaceId, ticketId, createdAt } = await setup({ first_response_target_minutes: 600 });
  const fast = await h.inTx(workspaceId, (ctx) => createQueue(ctx, { key: 'fast', name: 'Fast', first_response_target_minutes: 30 }));
  await commit(workspaceId, (ctx, at) => updateTicket(ctx, ticketId, { queue_id: fast.id }, at), { signal: false });
  const before = await env.client.workflow.getHandle(slaWorkflowId(ticketId)).query<SlaProgress>('slaProgress');
  await env.sleep(35 * MINUTE);
  t.deepEqual(await breachedAt(ticketId), { first_response: null, resolution: null }, 'not yet noticed');
  await env.sleep(30 * MINUTE);
  const outcome = await env.client.workflow.getHandle(slaWorkflowId(ticketId)).result();
  t.deepEqual(outcome.breaches, ['first_response']);
  t.is(outcome.reads, before.reads + 1, 'found by the hourly read');
  t.deepEqual(await breachedAt(ticketId), { first_response: iso(createdAt, 30 * MINUTE), resolution: null });
});

test.serial('a worker restart mid-timer loses nothing: the timer fires with no worker, the next one replays the run and marks the breach', async (t) => {
  const { ticketId, createdAt } = await setup({ first_response_target_minutes: 90 });
  await stopWorker();
  // The timer fires at 90 minutes with no worker to run the read: the server's time waits there.
  const skipping = env.sleep(2 * HOUR);
  await new Promise((r) => setTimeout(r, 1_000));
  t.deepEqual(await breachedAt(ticketId), { first_response: null, resolution: null }, 'no worker, no read');
  worker = await startWorker();
  await skipping;
  const outcome = await env.client.workflow.getHandle(slaWorkflowId(ticketId)).result();
  t.deepEqual(outcome.breaches, ['first_response']);
  t.deepEqual(await breachedAt(ticketId), { first_response: iso(createdAt, 90 * MINUTE), resolution: null });
});

test.serial('a resolved ticket reopened by the customer gets a new run of the same id, which keeps the resolution clock', async (t) => {
  const { workspaceId, ticketId, createdAt } = await setup({ resolution_target_minutes: 240 });
  await env.sleep(60 * MINUTE);
  const reads = (await settled(ticketId, 0)).reads;
  t.true(reads >= 1);
  await commit(workspaceId, (ctx, at) => updateTicket(ctx, ticketId, { status: 'resolved' }, at));
  const first = await env.client.workflow.getHandle(slaWorkflowId(ticketId)).result();
  t.deepEqual(first.breaches, []);
  await env.sleep(2 * HOUR);
  await commit(workspaceId, (ctx, at) => addMessage(ctx, ticketId, { direction: 'inbound', body: 'It is broken again.' }, at));
  const reopened = await row(ticketId);
  t.is(reopened.status, 'open');
  const due = new Date(reopened.resolution_due_at).getTime();
  t.true(due >= createdAt.getTime() + 6 * HOUR, 'the two resolved hours were a pause');
  const outcome = await env.client.workflow.getHandle(slaWorkflowId(ticketId)).result();
  t.deepEqual(outcome.breaches, ['resolution']);
  t.deepEqual(await breachedAt(ticketId), { first_response: null, resolution: new Date(due).toISOString() });
  const runs = await h.sql('select run_id from workflow_commands where resource_id = ? order by id', [ticketId]);
  t.is(new Set(runs.map((r) => r.run_id)).size, 2, 'two commands, two runs of one workflow id');
});

test.serial('a run that has read long enough continues as new, and the new run keeps watching', async (t) => {
  const { id: workspaceId } = await h.workspace();
  const queue = await h.inTx(workspaceId, (ctx) => createQueue(ctx, { key: 'std', name: 'Standard', first_response_target_minutes: 120 }));
  const { result: created } = await h.inTx(workspaceId, async (ctx) => createTicket(ctx, { subject: 'Long wait', queue_id: queue.id }, await now()));
  await h.sql('update workflow_commands set dispatched_at = now() where resource_id = ?', [created.id]);
  const handle = await env.client.workflow.start('supportTicketSla', {
    taskQueue: TASK_QUEUE, workflowId: slaWorkflowId(created.id), args: [{ workspaceId, ticketId: created.id, readsPerRun: 3 }],
  });
  await settled(created.id, 0);
  await commit(workspaceId, (ctx, at) => updateTicket(ctx, created.id, { status: 'pending' }, at));
  // Paused, the run reads every hour: the third read continues it as new.
  await env.sleep(5 * HOUR);
  const current = await env.client.workflow.getHandle(slaWorkflowId(created.id)).describe();
  t.not(current.runId, handle.firstExecutionRunId, 'a new run of the same id');
  t.is(current.status.name, 'RUNNING');
  const reply = await commit(workspaceId, (ctx, at) => updateTicket(ctx, created.id, { status: 'open' }, at));
  const outcome = await env.client.workflow.getHandle(slaWorkflowId(created.id)).result();
  t.deepEqual(outcome.breaches, ['first_response']);
  t.deepEqual(await breachedAt(created.id), { first_response: new Date(reply.first_response_due_at!).toISOString(), resolution: null });
});
