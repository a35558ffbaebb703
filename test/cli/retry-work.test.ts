// The operator's retry of work whose workflow completes even when the work failed: a failed BI
// export and a failed webhook delivery. The module reads its own row to decide, retries through
// its own path (a new run of the same workflow id), and refuses what did not fail.
import test from 'ava';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { retryWorkflow, showWorkflow } from '../../bin/lib/workflows.ts';
import { dealsWorkspace, expectOk } from '../bi/helpers.ts';
import { downloadBytes, readBack, settledExport } from '../bi/export-helpers.ts';
import { createEndpoint, deliveriesOf, receiverPool, waitUntil } from '../integrations/helpers.ts';

const run = promisify(execFile);
const cli = fileURLToPath(new URL('../../bin/slab5.js', import.meta.url));
const slab5 = async (...args: string[]) => JSON.parse((await run(process.execPath, [cli, ...args, '--json'], { env: process.env })).stdout);
const slab5Refused = async (...args: string[]) => String((await run(process.execPath, [cli, ...args], { env: process.env }).then(() => ({ stderr: 'exited 0' }), (err) => err)).stderr);

let h: Harness;
const pool = receiverPool();
test.before(async () => { h = await bootHarness(); });
test.after.always(async () => {
  await pool.closeAll();
  await h?.close();
});

const retry = (workflowId: string) => retryWorkflow(h.deps.temporal, h.config, h.deps.orm, h.deps.workflows, workflowId);

test('a failed export is retried through the CLI: queued again, a new run writes its file; a succeeded one is refused', async (t) => {
  const ws = await dealsWorkspace(h, 2);
  // Deal names are not integers: the query fails while running (DuckDB's conversion error).
  const queued = await expectOk(t, ws.client.post('/bi/exports', { format: 'csv', sql: 'SELECT CAST(name AS INTEGER) AS n FROM deals ORDER BY n' }), 202);
  const failed = await settledExport(ws.client, queued.id);
  t.is(failed.status, 'failed');
  const workflowId = `bi-export-${queued.id}`;

  const shown = await slab5('workflow', 'show', workflowId);
  t.like(shown, { type: 'biExport', status: 'completed', workspace_id: ws.id, resource_id: queued.id });
  t.regex(shown.retry, /queues a failed export again/);

  // The operator has the data fixed, then retries.
  for (const [i, id] of ws.dealIds.entries()) await expectOk(t, ws.client.patch(`/deals/${id}`, { name: String(10 + i) }));
  const retried = await slab5('workflow', 'retry', workflowId);
  t.is(retried.workflowId, workflowId);
  t.truthy(retried.runId);
  t.not(retried.runId, shown.run_id);

  const done = await settledExport(ws.client, queued.id);
  t.like(done, { status: 'succeeded', error: null, row_count: 2 });
  t.deepEqual(done.contractErrors, []);
  const file = await downloadBytes(done.download_url);
  t.is(file.status, 200);
  t.deepEqual((await readBack('csv', file.bytes)).rows, [['10'], ['11']]);
  t.deepEqual((await h.events(ws.id, { resourceId: queued.id })).map((e) => e.type),
    ['bi_export.created', 'bi_export.failed', 'bi_export.retried', 'bi_export.succeeded']);
  t.is((await h.sql('select count(*)::int as n from workflow_commands where workflow_id = ?', [workflowId]))[0].n, 2, 'the request\'s start and the retry\'s');

  // Its run now waits for the file's expiry; the export itself says there is nothing to retry.
  t.regex(await slab5Refused('workflow', 'retry', workflowId), /succeeded: there is nothing to retry/);
  t.is((await h.sql('select count(*)::int as n from workflow_commands where workflow_id = ?', [workflowId]))[0].n, 2, 'a refusal starts nothing');
});

test('a delivery that failed against a 500 is retried once the receiver is fixed and the endpoint active: delivered once', async (t) => {
  const { client, id: workspaceId } = await h.workspace();
  const r = await pool.receiver();
  r.answer(() => ({ status: 500, body: 'down' }));
  const endpoint = await createEndpoint(client, { url: r.url, event_types: ['contact.created'] });
  // The endpoint has failed for five days already (the schedule's days run in the time-skipping
  // tests): this 500 disables it and fails the delivery for good.
  await h.sql(`update webhook_endpoints set failing_since = now() - interval '5 days 1 minute' where id = ?`, [endpoint.id]);
  t.is((await client.post('/contacts', { name: 'Ada' })).status, 201);
  await waitUntil('the delivery failed', async () => (await deliveriesOf(h, endpoint.id))[0]?.status === 'failed');
  const [delivery] = await deliveriesOf(h, endpoint.id);
  t.like(delivery, { attempt_count: 1 });
  t.is(r.received.length, 1);
  const workflowId = `webhook-delivery-${delivery!.id}`;

  const shown = await showWorkflow(h.deps.temporal, h.config, workflowId);
  t.like(shown, { type: 'deliverWebhook', status: 'completed', workspace_id: workspaceId, resource_id: endpoint.id });
  t.regex(shown.retry!, /sends a failed delivery again/);

  // The endpoint was disabled: the retry says what to do first.
  await t.throwsAsync(retry(workflowId), { message: /is disabled .*set its status to active/ });
  r.answer(() => ({ status: 200, body: 'ok' }));
  t.is((await client.patch(`/webhooks/${endpoint.id}`, { status: 'active' })).status, 200);

  const retried = await retry(workflowId);
  t.truthy(retried.runId);
  t.not(retried.runId, shown.run_id);
  const result = await h.deps.temporal.workflow.getHandle(workflowId, retried.runId!).result();
  t.deepEqual(result, { state: 'succeeded', attempts: 2 });
  t.like((await deliveriesOf(h, endpoint.id))[0], { status: 'succeeded', attempt_count: 2, next_attempt_at: null });
  t.is(r.received.length, 2, 'one failed POST, then one delivered');
  t.is(r.received[1]!.headers['webhook-id'], r.received[0]!.headers['webhook-id'], 'the same message: the receiver can tell it is a redelivery');
  const list = await client.get(`/webhooks/${endpoint.id}/deliveries`);
  t.deepEqual(list.contractErrors, []);
  t.deepEqual(list.body.data[0].attempts.map((a: { response_status: number }) => a.response_status), [500, 200]);

  await t.throwsAsync(retry(workflowId), { message: /succeeded \(after 2 attempts\): there is nothing to retry/ });
  t.is(r.received.length, 2);
});

test('a delivery between attempts is refused; once an operator terminated its run, the retry sends it', async (t) => {
  const { client } = await h.workspace();
  const r = await pool.receiver();
  r.answer(() => ({ status: 500, body: 'down' }));
  const endpoint = await createEndpoint(client, { url: r.url, event_types: ['company.created'] });
  t.is((await client.post('/companies', { name: 'Stranded' })).status, 201);
  await waitUntil('the delivery waits for its next attempt', async () => (await deliveriesOf(h, endpoint.id))[0]?.status === 'retrying');
  const [delivery] = await deliveriesOf(h, endpoint.id);
  const workflowId = `webhook-delivery-${delivery!.id}`;

  await t.throwsAsync(retry(workflowId), { message: /is retrying \(run running, next attempt at .*\): only a failed delivery is retried/ });
  const handle = h.deps.temporal.workflow.getHandle(workflowId);
  await handle.terminate('an operator stopped it');
  r.answer(() => ({ status: 200, body: 'ok' }));

  const retried = await retry(workflowId);
  const result = await h.deps.temporal.workflow.getHandle(workflowId, retried.runId!).result() as { state: string; attempts: number };
  t.is(result.state, 'succeeded');
  t.like((await deliveriesOf(h, endpoint.id))[0], { status: 'succeeded', attempt_count: result.attempts });
  t.is(r.received.at(-1)!.body, r.received[0]!.body);
  t.is(new Set(r.received.map((m) => m.headers['webhook-id'])).size, 1, 'one message throughout');
});
