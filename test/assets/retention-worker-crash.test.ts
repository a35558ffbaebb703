// A worker killed while it purges an archived asset's object, then replaced: the purge happens
// once (the object gone, `asset.purged` once) and the asset stays as a record. The retention is
// configured to 0 days, so the run purges at once; the workers reach S3 through a proxy that holds
// the DeleteObjects request, so the kill lands in the purge's transaction. The held request then
// reaches S3 anyway (the worst case: the object gone, the row not yet saying so) before the
// replacement retries.
import test from 'ava';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { s3PacingProxy, type PacingProxy } from '../helpers/s3-pacing-proxy.ts';
import { workerProcesses } from '../helpers/worker-processes.ts';
import { waitUntil } from '../leads/helpers.ts';
import { retentionWorkflowId } from '../../modules/assets/retention/types.ts';
import { assetsDb, png, upload, WAIT_FOR_COMPLETION } from './helpers.ts';

let h: Harness;
let proxy: PacingProxy;
/** Holds S3 deletes only once armed (the completion deletes the client's upload key too). */
let armed = false;
const workers = workerProcesses('asset-retention-crash');

test.before(async () => {
  h = await bootHarness({ TEMPORAL_TASK_QUEUE: workers.queue, ASSET_RETENTION_DAYS: '0', ...WAIT_FOR_COMPLETION });
  proxy = await s3PacingProxy(h.config.s3Endpoint, { hold: (req) => armed && req.method === 'POST' && /[?&]delete(=|&|$)/.test(req.url ?? '') });
});
test.after.always(async () => {
  await workers.killAll();
  await proxy?.close();
  await h?.close();
});

test('a worker killed mid-purge is replaced: the object is deleted once and the asset stays as a record', async (t) => {
  const db = assetsDb(h);
  const { id: wsId, client } = await h.workspace();
  const first = workers.start({ S3_ENDPOINT: proxy.url });
  const intent = (await client.post('/assets', { asset_type: 'image', file_name: 'gone.png', mime_type: 'image/png' })).body.data;
  await upload(intent, png(9, 9));
  await client.post(`/assets/${intent.id}/complete`, {});
  await waitUntil('the asset to be available', async () => (await db.row(intent.id)).status === 'available', 240_000, 200);
  await h.deps.temporal.workflow.getHandle(`asset-complete-${intent.id}`).result();
  const objectKey: string = (await db.row(intent.id)).object_key;
  t.true(await db.exists(objectKey));
  armed = true;

  const archived = await client.call('DELETE', `/assets/${intent.id}`);
  t.is(archived.status, 200);
  await Promise.race([proxy.held, new Promise((_, fail) => setTimeout(() => fail(new Error('the purge never reached S3')), 120_000).unref())]);
  await workers.kill(first);
  t.is(first.signalCode, 'SIGKILL');
  proxy.release();
  await waitUntil('the held delete to reach S3', async () => !(await db.exists(objectKey)), 30_000, 100);
  t.is((await db.row(intent.id)).object_deleted_at, null, 'the killed purge committed nothing');

  const second = workers.start({ S3_ENDPOINT: proxy.url });
  const handle = h.deps.temporal.workflow.getHandle(retentionWorkflowId(intent.id));
  t.deepEqual(await handle.result(), { purged: true });
  const row = await db.row(intent.id);
  t.truthy(row.object_deleted_at);
  t.is(row.status, 'archived');
  t.false(await db.exists(objectKey));
  const got = await client.get(`/assets/${intent.id}`);
  t.is(got.status, 200, 'the asset stays as a record');
  t.deepEqual(got.contractErrors, []);
  t.like(got.body.data, { id: intent.id, status: 'archived' });
  t.deepEqual(await db.events(wsId, intent.id), ['asset.created', 'asset.available', 'asset.archived', 'asset.purged'], 'purged once');
  t.is(proxy.picked(), 2, 'each attempt asked S3 once; the second found nothing left to delete');
  const events = (await handle.fetchHistory()).events ?? [];
  const retried = events.map((e) => e.activityTaskStartedEventAttributes).find((a) => a && (a.attempt ?? 0) >= 2);
  t.is(retried?.identity, workers.identity(second), 'the purge retried on the replacement worker');
});
