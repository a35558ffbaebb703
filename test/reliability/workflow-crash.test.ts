// Crash tests of the workflows that had none (lead conversion, asset completion and retention,
// BI exports, artifact runs and their Schedule sync and webhook delivery have theirs beside their modules): a worker SIGKILLed while the run is in flight, then
// a new worker started; the effect happens once and nothing is lost. The workers are processes
// of this test on a task queue of its own (test/helpers/worker-processes.ts).
import test from 'ava';
import type { ChildProcess } from 'node:child_process';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { workerProcesses } from '../helpers/worker-processes.ts';
import { waitUntil } from '../leads/helpers.ts';
import { createProvisionedWorkspace } from '../../bin/lib/operator.ts';
import { provisionWorkflowId } from '../../modules/workspace/provisioning/start.ts';
import { collection, cmsReader, entry } from '../cms/helpers.ts';
import { queue, ticket } from '../support/helpers.ts';
import { slaWorkflowId, type SlaProgress } from '../../modules/support/sla/types.ts';

let h: Harness;
const workers = workerProcesses('reliability-crash');
test.before(async () => { h = await bootHarness({ TEMPORAL_TASK_QUEUE: workers.queue }); });
test.after.always(async () => { await workers.killAll(); await h?.close(); });
// Each test starts with no worker on the queue: a replacement left polling would take the next test's run, and its kill would land on an idle worker.
test.afterEach.always(async () => { await workers.killAll(); });

/** Waits until a worker polls the test's task queue (a worker bundles its workflows first: slow on a busy machine). */
async function pollerReady(child: ChildProcess): Promise<void> {
  await waitUntil('a worker to poll the task queue', async () => {
    const res = await h.deps.temporal.workflowService.describeTaskQueue({ namespace: h.config.temporalNamespace, taskQueue: { name: workers.queue }, taskQueueType: 1 });
    return (res.pollers ?? []).some((p) => p.identity === workers.identity(child));
  }, 240_000, 250);
}

/** Waits until the run's history shows `started` (a kill then lands mid-run), answering the history. */
const historyOf = async (workflowId: string) => (await h.deps.temporal.workflow.getHandle(workflowId).fetchHistory()).events ?? [];

test.serial('provisioning: a worker killed mid-run is replaced; the workspace is seeded once and activated', async (t) => {
  const first = workers.start();
  await pollerReady(first);
  const pending = createProvisionedWorkspace({ orm: h.deps.orm, temporal: h.deps.temporal, taskQueue: workers.queue }, { name: 'Crash provisioned' }, 120_000);
  // Kill as soon as the first worker picked up the run (its first workflow task).
  const workspaceId = await waitUntil('the run to start', async () => {
    const [row] = await h.sql<{ id: string }>(`select id from workspaces where name = 'Crash provisioned' order by created_at desc limit 1`);
    if (!row) return null;
    const events = await historyOf(provisionWorkflowId(row.id)).catch(() => []);
    return events.some((e) => e.workflowTaskStartedEventAttributes) ? row.id : null;
  }, 60_000, 5);
  await workers.kill(first);
  t.is(first.signalCode, 'SIGKILL');
  workers.start();
  const ws = await pending;
  t.is(ws.id, workspaceId);
  const [row] = await h.sql<{ status: string }>('select status from workspaces where id = ?', [ws.id]);
  t.is(row!.status, 'active');
  // Each seeder's rows exist once (seeders are idempotent by natural key; a retried activity adds nothing).
  const stages = await h.sql<{ key: string; n: number }>('select key, count(*)::int as n from deal_stages where workspace_id = ? group by key', [ws.id]);
  t.true(stages.length > 0);
  t.true(stages.every((s) => s.n === 1), JSON.stringify(stages));
  const runs: string[] = [];
  for await (const wf of h.deps.temporal.workflow.list({ query: `WorkflowId = "${provisionWorkflowId(ws.id)}"` })) runs.push(wf.runId);
  t.is(runs.length, 1, 'one run');
});

test.serial('scheduled publishing: a worker killed while the run waits for the moment is replaced; the entry is published once', async (t) => {
  const { id, client } = await h.workspace();
  const col = await collection(client);
  const first = workers.start();
  await pollerReady(first);
  const at = new Date(Date.now() + 8_000).toISOString();
  const e = await entry(client, { collection_id: col.id, title: 'Crash due', status: 'review', fields: { slug: 'crash-due' }, publish_at: at });
  const workflowId = `cms-publish-${e.id}`;
  await waitUntil('the timer to start on the first worker', async () => (await historyOf(workflowId).catch(() => [])).some((x) => x.timerStartedEventAttributes), 60_000, 20);
  await workers.kill(first);
  workers.start();
  await h.deps.temporal.workflow.getHandle(workflowId).result();
  const events = await cmsReader(h).eventTypes(id, e.id);
  t.is(events.filter((x) => x === 'cms_entry.published').length, 1, events.join(', '));
  const [row] = (await client.get('/cms/entries?status=published')).body.data;
  t.like(row, { id: e.id, status: 'published' });
});

test.serial('scheduled marketing post: a worker killed while the run waits is replaced; the post is published once', async (t) => {
  const { id, client } = await h.workspace();
  const first = workers.start();
  await pollerReady(first);
  const at = new Date(Date.now() + 8_000).toISOString();
  const post = (await client.post('/marketing/posts', { channel: 'x', body: 'Crash thread', status: 'scheduled', scheduled_at: at })).body.data;
  const workflowId = `marketing-post-${post.id}`;
  await waitUntil('the timer to start on the first worker', async () => (await historyOf(workflowId).catch(() => [])).some((x) => x.timerStartedEventAttributes), 60_000, 20);
  await workers.kill(first);
  workers.start();
  await h.deps.temporal.workflow.getHandle(workflowId).result();
  t.deepEqual(await cmsReader(h).eventTypes(id, post.id), ['marketing_post.created', 'marketing_post.published']);
});

test.serial('support SLA: a worker killed while the run sleeps is replaced; the changes made meanwhile reach the run, which ends once', async (t) => {
  const { id, client } = await h.workspace();
  const q = await queue(client, 'std', { first_response_target_minutes: 120, resolution_target_minutes: 480 });
  const first = workers.start();
  await pollerReady(first);
  const tk = await ticket(client, { queue_id: q.id });
  const workflowId = slaWorkflowId(tk.id);
  await waitUntil('the run to sleep on the first worker', async () => (await historyOf(workflowId).catch(() => [])).some((x) => x.timerStartedEventAttributes), 60_000, 20);
  await workers.kill(first);
  t.is(first.signalCode, 'SIGKILL');
  // With no worker, the API's writes commit and signal the run: the signals wait in its history.
  const reply = await client.post(`/support/tickets/${tk.id}/messages`, { direction: 'outbound', body: 'We are on it.' });
  t.is(reply.status, 201);
  const resolved = await client.patch(`/support/tickets/${tk.id}`, { status: 'resolved' });
  t.is(resolved.status, 200);
  const handle = h.deps.temporal.workflow.getHandle(workflowId);
  t.is((await handle.describe()).status.name, 'RUNNING', 'no worker has run the signals yet');

  const second = workers.start();
  const outcome = await handle.result() as SlaProgress;
  t.deepEqual(outcome.breaches, [], 'answered and resolved in time');
  t.true(outcome.reads >= 2, 'the replacement read the ticket again');
  const [row] = await h.sql('select sla_run_active, first_responded_at, first_response_breached_at, resolution_breached_at from support_tickets where id = ?', [tk.id]);
  t.like(row, { sla_run_active: false, first_response_breached_at: null, resolution_breached_at: null });
  t.truthy(row.first_responded_at);
  t.deepEqual(await h.events(id, { type: 'support_ticket.sla_breached' }), []);
  const identities = ((await historyOf(workflowId)).map((e) => e.workflowTaskStartedEventAttributes?.identity).filter(Boolean));
  t.is(identities.at(-1), workers.identity(second), 'the run ended on the replacement worker');
  const runs: string[] = [];
  for await (const wf of h.deps.temporal.workflow.list({ query: `WorkflowId = "${workflowId}"` })) runs.push(wf.runId);
  t.is(runs.length, 1, 'one run');
});
