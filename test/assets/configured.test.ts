// The assets settings, on an API booted with its own values: S3_PUBLIC_ENDPOINT (URLs name the
// host clients reach, and work there), ASSET_COMPLETE_WAIT_MS=0 (every completion answers 202 and
// is polled), ASSET_TYPE_LIMITS and ASSET_RETENTION_DAYS. The harness's worker verifies.
import test from 'ava';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { waitUntil } from '../leads/helpers.ts';
import { download, png, sha256, upload } from './helpers.ts';

let h: Harness;
let publicEndpoint: string;
test.before(async () => {
  publicEndpoint = `http://localhost:${new URL(process.env.S3_ENDPOINT!).port}`;
  h = await bootHarness({
    S3_PUBLIC_ENDPOINT: publicEndpoint,
    ASSET_COMPLETE_WAIT_MS: '0',
    ASSET_RETENTION_DAYS: '2',
    ASSET_TYPE_LIMITS: JSON.stringify({ image: { max_bytes: 1000, mime_types: ['image/png'] }, document: { require_checksum: true } }),
  });
});
test.after.always(async () => { await h?.close(); });

const settled = (client: import('../helpers/client.ts').ApiClient, id: string) =>
  waitUntil(`asset ${id} to settle`, async () => {
    const res = await client.get(`/assets/${id}`);
    return res.body.data.status === 'processing' ? null : res;
  });

test('URLs name S3_PUBLIC_ENDPOINT and work there; a completion that is not waited for answers 202 processing', async (t) => {
  const { client } = await h.workspace();
  const bytes = png(10, 10);
  const intent = (await client.post('/assets', { asset_type: 'image', file_name: 'p.png', mime_type: 'image/png' })).body.data;
  t.true(intent.upload_url.startsWith(`${publicEndpoint}/`), intent.upload_url);
  t.is((await upload(intent, bytes)).status, 200);

  const res = await client.post(`/assets/${intent.id}/complete`, { checksum_sha256: sha256(bytes) }, { headers: { 'Idempotency-Key': 'k202' } });
  t.is(res.status, 202);
  t.deepEqual(res.contractErrors, []);
  t.like(res.body.data, { status: 'processing', checksum_sha256: sha256(bytes), uploaded_at: null });
  const got = await settled(client, intent.id);
  t.like(got.body.data, { status: 'available' });
  t.true(got.body.data.download_url.startsWith(`${publicEndpoint}/`));
  t.true((await download(got.body.data.download_url)).bytes.equals(bytes));
  // A 202 is not stored for the key: the retry sees the finished completion.
  const retry = await client.post(`/assets/${intent.id}/complete`, { checksum_sha256: sha256(bytes) }, { headers: { 'Idempotency-Key': 'k202' } });
  t.is(retry.status, 200);
  t.is(retry.headers.get('idempotent-replayed'), null);
});

test('a failure found after a 202 shows on the asset, and completing again answers its 422', async (t) => {
  const { client } = await h.workspace();
  const intent = (await client.post('/assets', { asset_type: 'image', file_name: 'p.png', mime_type: 'image/png' })).body.data;
  await upload(intent, Buffer.from('not a png'));
  t.is((await client.post(`/assets/${intent.id}/complete`, {})).status, 202);
  const got = await settled(client, intent.id);
  t.like(got.body.data, { status: 'failed', failure: { reason: 'content_type_mismatch', field: 'mime_type' } });
  const again = await client.post(`/assets/${intent.id}/complete`, {});
  t.is(again.status, 422);
  t.like(again.body.error.details, { reason: 'content_type_mismatch', field: 'mime_type' });
});

test('ASSET_TYPE_LIMITS replaces a type\'s limits and can require a checksum', async (t) => {
  const { client } = await h.workspace();
  const jpeg = await client.post('/assets', { asset_type: 'image', file_name: 'a.jpg', mime_type: 'image/jpeg' });
  t.is(jpeg.status, 422);
  t.deepEqual(jpeg.body.error.details.allowed, ['image/png']);
  const big = await client.post('/assets', { asset_type: 'image', file_name: 'a.png', mime_type: 'image/png', byte_size: 1001 });
  t.like(big.body.error.details, { field: 'byte_size', max_bytes: 1000 });
  t.is(big.status, 422);

  const doc = (await client.post('/assets', { asset_type: 'document', file_name: 'a.txt', mime_type: 'text/plain' })).body.data;
  await upload(doc, Buffer.from('hello'));
  const without = await client.post(`/assets/${doc.id}/complete`, {});
  t.is(without.status, 422);
  t.like(without.body.error.details, { field: 'checksum_sha256', reason: 'checksum_required' });
  t.is((await client.get(`/assets/${doc.id}`)).body.data.status, 'upload_pending', 'nothing started');
  t.is((await client.post(`/assets/${doc.id}/complete`, { checksum_sha256: sha256(Buffer.from('hello')) })).status, 202);
});

test('ASSET_RETENTION_DAYS sets when an archived asset\'s object goes', async (t) => {
  const { client } = await h.workspace();
  const intent = (await client.post('/assets', { asset_type: 'image', file_name: 'p.png', mime_type: 'image/png' })).body.data;
  const archived = (await client.call('DELETE', `/assets/${intent.id}`)).body.data;
  const [row] = await h.sql('select purge_after from assets where id = ?', [intent.id]);
  t.is(Date.parse(row.purge_after) - Date.parse(archived.archived_at), 2 * 86_400_000);
});
