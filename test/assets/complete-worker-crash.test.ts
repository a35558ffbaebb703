// A worker killed while it hashes an uploaded object, then replaced: the completion resumes on the
// new worker (the hash starts over there once the killed one's heartbeats stop) and the asset
// becomes available once, with the right checksum. The test runs its own worker processes on a
// task queue of its own, so it can SIGKILL one without touching the shared test worker. They
// reach the real S3 through a pass-through proxy that slows object reads to 8 MB/s, so a 32 MB
// object keeps the hash busy for seconds (a kill lands mid-hash without gigabytes of I/O).
import test from 'ava';
import { createHash } from 'node:crypto';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { s3PacingProxy, type PacingProxy } from '../helpers/s3-pacing-proxy.ts';
import { workerProcesses } from '../helpers/worker-processes.ts';
import { waitUntil } from '../leads/helpers.ts';
import { assetsDb, putLargeMp4 } from './helpers.ts';

const SIZE = 32 * 1024 * 1024;
const READ_BYTES_PER_SECOND = 8 * 1024 * 1024;
let h: Harness;
let proxy: PacingProxy;
const workers = workerProcesses('asset-crash');

test.before(async () => {
  h = await bootHarness({ TEMPORAL_TASK_QUEUE: workers.queue, ASSET_COMPLETE_WAIT_MS: '0' });
  proxy = await s3PacingProxy(h.config.s3Endpoint, { readBytesPerSecond: READ_BYTES_PER_SECOND });
});
test.after.always(async () => {
  await workers.killAll();
  await proxy?.close();
  await h?.close();
});

test('a worker killed mid-hash is replaced and the completion finishes, once, with the right checksum', async (t) => {
  const { id: wsId, client } = await h.workspace();
  const intent = (await client.post('/assets', { asset_type: 'video', file_name: 'talk.mp4', mime_type: 'video/mp4' })).body.data;
  const checksum = await putLargeMp4(intent, SIZE);

  const first = workers.start({ S3_ENDPOINT: proxy.url });
  const res = await client.post(`/assets/${intent.id}/complete`, { checksum_sha256: checksum, byte_size: SIZE });
  t.is(res.status, 202);
  t.deepEqual(res.contractErrors, []);
  t.is(res.body.data.status, 'processing');
  const handle = h.deps.temporal.workflow.getHandle(`asset-complete-${intent.id}`);

  // The kill lands once the first worker has started streaming the object through SHA-256.
  await waitUntil('the hash to start', async () => (await handle.describe()).raw.pendingActivities
    ?.some((a) => a.activityType?.name === 'hashAssetUpload' && a.lastWorkerIdentity === workers.identity(first)), 120_000, 5);
  await workers.kill(first);
  t.is(first.signalCode, 'SIGKILL');
  t.is((await assetsDb(h).row(intent.id)).status, 'processing', 'nothing was marked while the hash ran');

  workers.start({ S3_ENDPOINT: proxy.url });
  t.like(await handle.result(), { asset_id: intent.id, status: 'available' });
  const events = (await handle.fetchHistory()).events ?? [];
  const hashScheduled = events.find((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'hashAssetUpload');
  const hashStarted = events.find((e) => String(e.activityTaskStartedEventAttributes?.scheduledEventId) === String(hashScheduled?.eventId))?.activityTaskStartedEventAttributes;
  t.true((hashStarted?.attempt ?? 0) >= 2, 'the hash ran a second attempt');
  t.not(hashStarted?.identity, workers.identity(first), 'on the replacement worker');

  const got = (await client.get(`/assets/${intent.id}`)).body.data;
  t.like(got, { status: 'available', byte_size: SIZE, checksum_sha256: checksum, metadata: { sniffed_mime_type: 'video/mp4' } });
  t.deepEqual(await assetsDb(h).events(wsId, intent.id), ['asset.created', 'asset.available']);
  // The download streams through SHA-256 too.
  const hash = createHash('sha256');
  const body = await fetch(got.download_url);
  for await (const chunk of body.body!) hash.update(chunk);
  t.is(hash.digest('hex'), checksum, 'the bytes served are the bytes uploaded');
});
