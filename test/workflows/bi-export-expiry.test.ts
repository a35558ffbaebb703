// The biExport workflow in Temporal's time-skipping test server, with its real activities against
// the harness's database, DuckDB and S3: the file stays while the 7-day expiry timer runs and is
// deleted when it fires, without the test waiting for it. Serial: time skips for the whole server.
import test from 'ava';
import { fileURLToPath } from 'node:url';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createExportActivities } from '../../modules/bi/exports/activities.ts';
import { createExport } from '../../modules/bi/exports/exports.ts';
import { biEngine } from '../../modules/bi/engine.ts';
import type { BiExportInput } from '../../modules/bi/exports/types.ts';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { harnessActivityDeps, runningTimeSkippingWorker } from '../helpers/time-skipping.ts';
import { waitUntil } from '../leads/helpers.ts';
import { dealsWorkspace } from '../bi/helpers.ts';

const workflowsPath = fileURLToPath(new URL('../../modules/bi/exports/workflow.ts', import.meta.url));
const queue = 'bi-export-timers';
let h: Harness;
let env: TestWorkflowEnvironment;
let stopWorker: (() => Promise<void>) | undefined;

test.before(async () => {
  h = await bootHarness();
  ({ env, stop: stopWorker } = await runningTimeSkippingWorker(queue, workflowsPath, createExportActivities(harnessActivityDeps(h))));
});
test.after.always(async () => {
  await stopWorker?.();
  await h?.close();
});

const exists = async (key: string) => {
  try { await h.deps.s3.send(new HeadObjectCommand({ Bucket: h.config.s3Bucket, Key: key })); return true; } catch (err) {
    if ((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
    throw err;
  }
};

test.serial('the export file is kept while the 7-day timer runs and deleted when it fires; the export then offers no link', async (t) => {
  const ws = await dealsWorkspace(h, 3);
  const engine = biEngine(h.deps);
  await engine.catalog();
  const row = await h.inTx(ws.id, (ctx) => createExport(ctx, engine, { format: 'csv', sql: 'SELECT name FROM deals ORDER BY name' }));
  // The API would start it on the dev server; here the time-skipping server runs it instead.
  await h.sql('update workflow_commands set dispatched_at = now() where workflow_id = ?', [row.workflow_id]);
  const input: BiExportInput = { workspaceId: ws.id, exportId: row.id, requestId: null };
  const startedAt = await env.currentTimeMs();
  const wallStart = Date.now();
  const handle = await env.client.workflow.start('biExport', { taskQueue: queue, workflowId: row.workflow_id, args: [input] });

  await waitUntil('the expiry timer to start', async () => ((await handle.fetchHistory()).events ?? []).some((e) => e.timerStartedEventAttributes));
  const [stored] = await h.sql('select status, row_count, file_deleted_at from bi_exports where id = ?', [row.id]);
  t.like(stored, { status: 'succeeded', row_count: 3, file_deleted_at: null });
  t.true(await exists(row.object_key), 'kept while the timer runs');
  t.deepEqual(await handle.query('progress'), { status: 'succeeded', progress: 100, rows_written: 3, planned_rows: 3 });

  t.like(await handle.result(), { status: 'succeeded', progress: 100 });
  const elapsed = (await env.currentTimeMs()) - startedAt;
  t.true(elapsed >= 7 * 86_400_000 - 60_000, `workflow time passed the 7 days (${elapsed} ms)`);
  t.true(Date.now() - wallStart < 60_000, 'the test did not wait for them');
  t.false(await exists(row.object_key), 'the file is gone from S3');
  const [after] = await h.sql('select status, file_deleted_at from bi_exports where id = ?', [row.id]);
  t.is(after.status, 'succeeded');
  t.truthy(after.file_deleted_at);
  const listed = (await ws.client.get('/bi/exports')).body.data.find((e: { id: string }) => e.id === row.id);
  t.like(listed, { status: 'succeeded', download_url: null, download_expires_at: null });
});
