// A worker killed in the middle of an export, then replaced: the export resumes on the new worker
// once the killed one's heartbeats stop, writes the whole file again under the same key, and ends
// with one complete file (every row once, its SHA-256 and size recorded). The test runs its own
// worker processes on a task queue of its own, reaching S3 through a proxy that paces uploads so
// the kill lands while the export is still at work.
import test from 'ava';
import { createHash } from 'node:crypto';
import { sql } from '../../platform/db.ts';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { s3PacingProxy, type PacingProxy } from '../helpers/s3-pacing-proxy.ts';
import { workerProcesses } from '../helpers/worker-processes.ts';
import { waitUntil } from '../leads/helpers.ts';
import { pipelineWorkspace } from '../helpers/fixtures.ts';
import { downloadBytes, readBack, settledExport } from './export-helpers.ts';

const ROWS = 100_000;
// Slow enough that the upload (about 1.5 MB) outlasts the wait for the kill even on a loaded machine.
const UPLOAD_BYTES_PER_SECOND = 256 * 1024;
const workers = workerProcesses('bi-export-crash');
let h: Harness;
let proxy: PacingProxy;

test.before(async () => {
  h = await bootHarness({ TEMPORAL_TASK_QUEUE: workers.queue });
  proxy = await s3PacingProxy(h.config.s3Endpoint, { uploadBytesPerSecond: UPLOAD_BYTES_PER_SECOND });
});
test.after.always(async () => {
  await workers.killAll();
  await proxy?.close();
  await h?.close();
});

test('a worker killed mid-export is replaced and the export ends with one complete file', async (t) => {
  const ws = await pipelineWorkspace(h);
  await sql(h.deps.orm.em.fork(), `insert into deals (id, workspace_id, name, stage_id, stage, status, amount_cents, currency, custom_fields, notes, closed_at, created_at, updated_at)
    select 'deal_' || md5(? || g), ?, 'Deal ' || g, s.id, s.key, s.outcome, g, 'USD', '{}'::jsonb, null, case when s.outcome = 'open' then null else now() end, now(), now()
    from generate_series(1, ?) g join deal_stages s on s.workspace_id = ? and s.position = 10 * (1 + g % 5)`, [ws.id, ws.id, ROWS, ws.id]);

  const first = workers.start({ S3_ENDPOINT: proxy.url });
  const res = await ws.client.post('/bi/exports', { format: 'csv', sql: 'SELECT name, amount_cents FROM deals ORDER BY amount_cents' });
  t.is(res.status, 202);
  const id = res.body.data.id;
  const handle = h.deps.temporal.workflow.getHandle(`bi-export-${id}`);

  // The kill lands once the first worker has the export activity running and reports progress.
  let seen = '';
  await waitUntil('the export to be under way', async () => {
    const [row] = await h.sql('select status, progress from bi_exports where id = ?', [id]);
    const activities = (await handle.describe()).raw.pendingActivities ?? [];
    seen = JSON.stringify({ row, activities: activities.map((a) => ({ type: a.activityType?.name, worker: a.lastWorkerIdentity, attempt: a.attempt })), first: workers.identity(first) });
    const pending = activities.some((a) => a.activityType?.name === 'runBiExport' && a.lastWorkerIdentity === workers.identity(first));
    return row.status === 'running' && row.progress > 0 && pending;
  }, 120_000, 20).catch((err) => { throw new Error(`${err.message}; last seen ${seen}`); });
  await workers.kill(first);
  t.is(first.signalCode, 'SIGKILL');
  t.is((await h.sql('select status from bi_exports where id = ?', [id]))[0].status, 'running', 'not marked while it ran');

  workers.start({ S3_ENDPOINT: proxy.url });
  const done = await settledExport(ws.client, id, 180_000);
  t.is(done.status, 'succeeded', JSON.stringify(done.error));
  t.is(done.row_count, ROWS);
  const events = (await handle.fetchHistory()).events ?? [];
  const started = events.map((e) => e.activityTaskStartedEventAttributes).find((a) => a && (a.attempt ?? 0) >= 2);
  t.truthy(started, 'the export activity ran a second attempt');
  t.not(started?.identity, workers.identity(first), 'on the replacement worker');

  const file = await downloadBytes(done.download_url);
  t.is(file.bytes.length, done.byte_size);
  t.is(createHash('sha256').update(file.bytes).digest('hex'), done.sha256);
  const back = await readBack('csv', file.bytes);
  t.is(back.rows.length, ROWS, 'every row once');
  t.deepEqual(back.rows.slice(0, 2), [['Deal 1', '1'], ['Deal 2', '2']]);
  t.deepEqual(back.rows.at(-1), [`Deal ${ROWS}`, String(ROWS)]);
  t.deepEqual((await h.events(ws.id, { resourceId: id })).map((e) => e.type), ['bi_export.created', 'bi_export.succeeded']);
});
