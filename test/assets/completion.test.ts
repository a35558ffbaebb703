// How completion behaves around the bytes: a checksum declared with the intent is verified by S3
// itself (and read back, not streamed again); bytes PUT again after verification never reach a
// download; completing twice, concurrently or with an Idempotency-Key does the work once; an
// upload URL past its expiry is refused by S3.
import test from 'ava';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { assetStorage, presignUpload } from '../../modules/assets/storage.ts';
import { assetsDb, download, png, sha256, upload, WAIT_FOR_COMPLETION } from './helpers.ts';

let h: Harness;
test.before(async () => { h = await bootHarness(WAIT_FOR_COMPLETION); });
test.after.always(async () => { await h?.close(); });

const activitiesRun = async (workflowId: string) => {
  const history = await h.deps.temporal.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? []).map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name).filter(Boolean);
};

test('a checksum declared with the intent is enforced by S3 on upload and read back at completion, without streaming', async (t) => {
  const { client } = await h.workspace();
  const bytes = png(20, 10);
  const res = await client.post('/assets', { asset_type: 'image', file_name: 'c.png', mime_type: 'image/png', checksum_sha256: sha256(bytes).toUpperCase() });
  t.is(res.status, 201);
  t.deepEqual(res.contractErrors, []);
  const intent = res.body.data;
  t.is(intent.checksum_sha256, sha256(bytes), 'stored lower-case');
  t.deepEqual(intent.upload_headers, { 'Content-Type': 'image/png', 'x-amz-checksum-sha256': Buffer.from(sha256(bytes), 'hex').toString('base64') });
  t.deepEqual(new URL(intent.upload_url).searchParams.get('X-Amz-SignedHeaders')!.split(';').sort(), ['content-type', 'host', 'x-amz-checksum-sha256']);

  const other = png(21, 10);
  const refused = await upload(intent, other);
  t.is(refused.status, 400, 'S3 refuses bytes whose SHA-256 is not the declared one');
  t.regex(refused.text, /BadDigest/);
  t.is((await upload(intent, bytes)).status, 200);

  const done = await client.post(`/assets/${intent.id}/complete`, {});
  t.is(done.status, 200, JSON.stringify(done.body));
  t.like(done.body.data, { status: 'available', checksum_sha256: sha256(bytes) });
  const ran = await activitiesRun(`asset-complete-${intent.id}`);
  t.deepEqual(ran, ['inspectAssetUpload', 'promoteAssetUpload', 'markAssetAvailable', 'discardAssetUpload'], 'no hashAssetUpload: S3\'s checksum was used');
});

test('a checksum given only at completion is computed by streaming the object', async (t) => {
  const { client } = await h.workspace();
  const bytes = png(50, 50, 300_000);
  const intent = (await client.post('/assets', { asset_type: 'image', file_name: 'big.png', mime_type: 'image/png' })).body.data;
  t.is((await upload(intent, bytes)).status, 200);
  const done = await client.post(`/assets/${intent.id}/complete`, { byte_size: bytes.length, checksum_sha256: sha256(bytes) });
  t.is(done.status, 200, JSON.stringify(done.body));
  t.like(done.body.data, { byte_size: bytes.length, checksum_sha256: sha256(bytes) });
  t.true((await activitiesRun(`asset-complete-${intent.id}`)).includes('hashAssetUpload'));
});

test('bytes PUT again with the still-valid upload URL after completion never reach a download', async (t) => {
  const { client } = await h.workspace();
  const bytes = png(5, 5);
  const intent = (await client.post('/assets', { asset_type: 'image', file_name: 'swap.png', mime_type: 'image/png' })).body.data;
  await upload(intent, bytes);
  t.is((await client.post(`/assets/${intent.id}/complete`, {})).status, 200);
  const swapped = png(6, 6);
  t.is((await upload(intent, swapped)).status, 200, 'the URL is still valid');
  const file = await download((await client.get(`/assets/${intent.id}`)).body.data.download_url);
  t.true(file.bytes.equals(bytes), 'the verified bytes are served, not the later ones');
});

test('completing twice, with an Idempotency-Key or concurrently, verifies once and answers the same asset', async (t) => {
  const { id, client } = await h.workspace();
  const bytes = png(9, 9);
  const intent = (await client.post('/assets', { asset_type: 'image', file_name: 'twice.png', mime_type: 'image/png' })).body.data;
  await upload(intent, bytes);
  const [a, b] = await Promise.all([
    client.post(`/assets/${intent.id}/complete`, {}, { headers: { 'Idempotency-Key': 'complete-1' } }),
    client.post(`/assets/${intent.id}/complete`, {}),
  ]);
  t.is(a.status, 200, JSON.stringify(a.body));
  t.is(b.status, 200, JSON.stringify(b.body));
  t.is(a.body.data.uploaded_at, b.body.data.uploaded_at);
  const replay = await client.post(`/assets/${intent.id}/complete`, {}, { headers: { 'Idempotency-Key': 'complete-1' } });
  t.is(replay.status, 200);
  t.is(replay.headers.get('idempotent-replayed'), 'true');
  t.deepEqual(replay.body.data, a.body.data);
  const again = await client.post(`/assets/${intent.id}/complete`, { checksum_sha256: undefined });
  t.is(again.status, 200);
  t.deepEqual(again.contractErrors, []);
  t.is(again.body.data.updated_at, a.body.data.updated_at, 'unchanged');
  t.deepEqual(await assetsDb(h).events(id, intent.id), ['asset.created', 'asset.available']);
  const runs = await h.sql('select distinct run_id from workflow_commands where resource_id = ? and run_id is not null', [intent.id]);
  t.is(runs.length, 1, 'one workflow run did the work');
});

test('an upload URL past its expiry is refused by S3', async (t) => {
  const { id } = await h.workspace();
  const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
  const storage = assetStorage(h.deps);
  const expired = await presignUpload(storage, { key: `workspaces/${id}/assets/asset_expired/upload`, mimeType: 'image/png', byteSize: null, checksumHex: null }, twoHoursAgo);
  t.true(expired.expiresAt.getTime() < Date.now());
  const res = await upload({ upload_url: expired.url, upload_headers: expired.headers }, png(2, 2));
  t.is(res.status, 403);
  t.regex(res.text, /expired/i);
});
