// A worker killed while a delivery waits for its retry, then replaced: the retry goes out from
// the new worker on schedule and the delivery succeeds, with every attempt recorded once. The
// test runs its own worker processes (no pollers) on a task queue of its own, so it can SIGKILL
// them without touching the shared test worker.
import test from 'ava';
import { randomUUID } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { createEndpoint, deliveriesOf, startReceiver, verify, waitUntil, type Receiver } from './helpers.ts';

const root = resolve(import.meta.dirname, '../..');
const queue = `slab5-test-webhook-crash-${randomUUID()}`;
let h: Harness;
let r: Receiver;
const workers: ChildProcess[] = [];

function startWorker(): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(root, 'bin/worker.ts')], {
    cwd: root, env: { ...process.env, TEMPORAL_TASK_QUEUE: queue, WORKER_POLLERS: 'none' }, stdio: ['ignore', 'ignore', 'inherit'],
  });
  workers.push(child);
  return child;
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}

test.before(async () => {
  h = await bootHarness({ TEMPORAL_TASK_QUEUE: queue });
  r = await startReceiver();
});
test.after.always(async () => {
  for (const child of workers) await kill(child);
  await r?.close();
  await h?.close();
});

test('a worker killed mid-retry is replaced and the retry goes out once, from the new worker', async (t) => {
  const { client } = await h.workspace();
  r.answer((_, i) => (i === 0 ? { status: 500, body: 'not yet' } : { status: 200, body: 'ok' }));
  const endpoint = await createEndpoint(client, { url: r.url, event_types: ['task.completed'] });
  const first = startWorker();
  const res = await client.post(`/webhooks/${endpoint.id}/test`);
  t.is(res.status, 202);
  const deliveryId = res.body.data.id;

  // The first attempt failed and the workflow sleeps until the retry: the kill lands there.
  await waitUntil('the first attempt to fail and the retry to be scheduled', async () => {
    const [d] = await deliveriesOf(h, endpoint.id);
    return d?.status === 'retrying' && d.next_attempt_at !== null;
  });
  await kill(first);
  t.is(first.signalCode, 'SIGKILL');
  const second = startWorker();

  const handle = h.deps.temporal.workflow.getHandle(`webhook-delivery-${deliveryId}`);
  t.deepEqual(await handle.result(), { state: 'succeeded', attempts: 2 });
  const history = (await handle.fetchHistory()).events ?? [];
  // Attempts are local activities: they run inside the workflow task of the worker that took it.
  const identities = history.flatMap((e) => (e.workflowTaskStartedEventAttributes ? [e.workflowTaskStartedEventAttributes.identity] : []));
  t.is(identities[0], `${first.pid}@${hostname()}`, 'the first attempt ran on the killed worker');
  t.is(identities.at(-1), `${second.pid}@${hostname()}`, 'the retry ran on the new worker');
  const timerFired = history.findIndex((e) => e.timerFiredEventAttributes);
  t.true(timerFired > 0, 'the retry waited on a Temporal timer');

  t.is(r.received.length, 2);
  t.is(r.received[0]!.headers['webhook-id'], r.received[1]!.headers['webhook-id'], 'the same message, retried');
  t.true(r.received[1]!.at - r.received[0]!.at >= 5_000, 'the retry waited its 5 s');
  t.like(verify(endpoint.signing_secret, r.received[1]!), { type: 'webhook.test' });
  const [delivery] = (await client.get(`/webhooks/${endpoint.id}/deliveries`)).body.data;
  t.like(delivery, { status: 'succeeded', attempt_count: 2, response_status: 200 });
  t.deepEqual(delivery.attempts.map((a: any) => [a.attempt, a.response_status]), [[1, 500], [2, 200]]);
});
