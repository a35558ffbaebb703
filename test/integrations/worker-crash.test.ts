// A worker killed while a delivery waits for its retry, then replaced: the retry goes out from
// the new worker on schedule and the delivery succeeds, with every attempt recorded once. The
// test runs its own worker processes (no pollers) on a task queue of its own, so it can SIGKILL
// them without touching the shared test worker.
import test from 'ava';
import { hostname } from 'node:os';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { workerProcesses } from '../helpers/worker-processes.ts';
import { createEndpoint, deliveriesOf, startReceiver, verify, waitUntil, type Receiver } from './helpers.ts';

const workers = workerProcesses('webhook-crash');
let h: Harness;
let r: Receiver;

test.before(async () => {
  h = await bootHarness({ TEMPORAL_TASK_QUEUE: workers.queue });
  r = await startReceiver();
});
test.after.always(async () => {
  await workers.killAll();
  await r?.close();
  await h?.close();
});

test('a worker killed mid-retry is replaced and the retry goes out once, from the new worker', async (t) => {
  const { client } = await h.workspace();
  r.answer((_, i) => (i === 0 ? { status: 500, body: 'not yet' } : { status: 200, body: 'ok' }));
  const endpoint = await createEndpoint(client, { url: r.url, event_types: ['task.completed'] });
  const first = workers.start();
  const res = await client.post(`/webhooks/${endpoint.id}/test`);
  t.is(res.status, 202);
  const deliveryId = res.body.data.id;

  // The first attempt failed and the workflow sleeps on its retry timer: the kill lands there.
  const handle = h.deps.temporal.workflow.getHandle(`webhook-delivery-${deliveryId}`);
  await waitUntil('the first attempt to fail and the retry timer to start', async () => {
    const [d] = await deliveriesOf(h, endpoint.id);
    const events = d?.status === 'retrying' ? (await handle.fetchHistory()).events ?? [] : [];
    return events.some((e) => e.timerStartedEventAttributes);
  });
  await workers.kill(first);
  t.is(first.signalCode, 'SIGKILL');
  const second = workers.start();

  t.deepEqual(await handle.result(), { state: 'succeeded', attempts: 2 });
  const history = (await handle.fetchHistory()).events ?? [];
  // Attempts are local activities: they run inside the workflow task of the worker that took it.
  const identities = history.flatMap((e) => (e.workflowTaskStartedEventAttributes ? [e.workflowTaskStartedEventAttributes.identity] : []));
  t.is(identities[0], `${first.pid}@${hostname()}`, 'the first attempt ran on the killed worker');
  t.is(identities.at(-1), `${second.pid}@${hostname()}`, 'the retry ran on the new worker');
  t.true(history.some((e) => e.timerFiredEventAttributes), 'the retry waited on its Temporal timer');

  t.is(r.received.length, 2);
  t.is(r.received[0]!.headers['webhook-id'], r.received[1]!.headers['webhook-id'], 'the same message, retried');
  t.true(r.received[1]!.at - r.received[0]!.at >= 5_000, 'the retry waited its 5 s');
  t.like(verify(endpoint.signing_secret, r.received[1]!), { type: 'webhook.test' });
  const [delivery] = (await client.get(`/webhooks/${endpoint.id}/deliveries`)).body.data;
  t.like(delivery, { status: 'succeeded', attempt_count: 2, response_status: 200 });
  t.deepEqual(delivery.attempts.map((a: any) => [a.attempt, a.response_status]), [[1, 500], [2, 200]]);
});
