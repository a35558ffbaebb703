// The whole flow on the real services: an upload intent, real bytes PUT with fetch() to the
// presigned URL on SeaweedFS, completion verified by the workflow, and the same bytes downloaded
// through the presigned GET.
import test from 'ava';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { listWorkflowIds } from '../leads/helpers.ts';
import { assetsDb, download, png, sha256, upload, uploaded, WAIT_FOR_COMPLETION } from './helpers.ts';

let h: Harness;
test.before(async () => { h = await bootHarness(WAIT_FOR_COMPLETION); });
test.after.always(async () => { await h?.close(); });

test('an image uploaded to the presigned URL, completed and downloaded comes back byte for byte', async (t) => {
  const db = assetsDb(h);
  const { id: wsId, client } = await h.workspace();
  const bytes = png(640, 480, 5000);
  const intent = await client.post('/assets', { asset_type: 'image', file_name: 'hero.png', mime_type: 'image/png', byte_size: bytes.length, description: 'Homepage hero' });
  t.is(intent.status, 201);
  t.deepEqual(intent.contractErrors, []);
  const asset = intent.body.data;
  t.regex(asset.id, /^asset_[0-9a-z]{26}$/);
  t.like(asset, { status: 'upload_pending', name: 'hero.png', file_name: 'hero.png', byte_size: bytes.length, checksum_sha256: null, metadata: {}, failure: null, upload_method: 'PUT' });
  t.deepEqual(asset.upload_headers, { 'Content-Type': 'image/png', 'Content-Length': String(bytes.length) });
  // The URL is signed for exactly these headers (and the host): nothing else is required of the client.
  const signed = new URL(asset.upload_url).searchParams.get('X-Amz-SignedHeaders')!.split(';').sort();
  t.deepEqual(signed, ['content-length', 'content-type', 'host']);
  const expiresIn = Date.parse(asset.upload_expires_at) - Date.parse(asset.created_at);
  t.true(Math.abs(expiresIn - 3600_000) < 2000, `upload URL valid for an hour, got ${expiresIn} ms`);
  t.is(new URL(asset.upload_url).searchParams.get('X-Amz-Expires'), '3600');
  const row = await db.row(asset.id);
  t.is(row.upload_key, `workspaces/${wsId}/assets/${asset.id}/upload`, 'the key is built from ids under the workspace prefix');

  t.is((await upload(asset, bytes)).status, 200);
  const done = await client.post(`/assets/${asset.id}/complete`, { checksum_sha256: sha256(bytes) });
  t.is(done.status, 200, JSON.stringify(done.body));
  t.deepEqual(done.contractErrors, []);
  t.like(done.body.data, { status: 'available', byte_size: bytes.length, checksum_sha256: sha256(bytes), failure: null });
  t.deepEqual(done.body.data.metadata, { sniffed_mime_type: 'image/png', width: 640, height: 480 });
  t.truthy(done.body.data.uploaded_at);

  const got = await client.get(`/assets/${asset.id}`);
  t.is(got.status, 200);
  t.deepEqual(got.contractErrors, []);
  t.is(got.body.data.status, 'available');
  const expiry = Date.parse(got.body.data.download_expires_at) - Date.now();
  t.true(expiry > 800_000 && expiry <= 900_000, `download URL valid for 15 minutes, got ${expiry} ms`);
  const file = await download(got.body.data.download_url);
  t.is(file.status, 200);
  t.true(file.bytes.equals(bytes), 'the downloaded bytes are the uploaded bytes');
  t.is(file.headers.get('content-type'), 'image/png');
  t.is(file.headers.get('content-disposition'), 'attachment; filename="hero.png"');

  // The verified bytes live under the server's own key; the client's upload key is gone.
  t.false(await db.exists(row.upload_key));
  t.true(await db.exists(row.object_key));
  t.deepEqual(await db.events(wsId, asset.id), ['asset.created', 'asset.available']);
  // An operator finds the completion in the Temporal UI by workspace and asset.
  const found = await listWorkflowIds(h.deps.temporal, `WorkspaceId = "${wsId}" AND ResourceId = "${asset.id}" AND WorkflowType = "completeAssetUpload"`);
  t.deepEqual(found, [`asset-complete-${asset.id}`]);
});

test('a non-ASCII file name downloads with an RFC 6266 Content-Disposition', async (t) => {
  const { client } = await h.workspace();
  const bytes = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
  const asset = await uploaded(client, { asset_type: 'document', file_name: 'Résumé "final" 2025.pdf', mime_type: 'application/pdf' }, bytes);
  const done = await client.post(`/assets/${asset.id}/complete`, {});
  t.is(done.status, 200, JSON.stringify(done.body));
  t.is(done.body.data.checksum_sha256, null, 'no checksum declared, none computed');
  const file = await download((await client.get(`/assets/${asset.id}`)).body.data.download_url);
  t.true(file.bytes.equals(bytes));
  t.is(file.headers.get('content-type'), 'application/pdf');
  t.is(file.headers.get('content-disposition'), `attachment; filename="R_sum_ _final_ 2025.pdf"; filename*=UTF-8''R%C3%A9sum%C3%A9%20%22final%22%202025.pdf`);
});

test('a pending asset has no download URL, and a foreign workspace cannot see, complete or archive it', async (t) => {
  const a = await h.workspace();
  const b = await h.workspace();
  const asset = (await a.client.post('/assets', { asset_type: 'attachment', file_name: 'notes.txt', mime_type: 'text/plain' })).body.data;
  const pending = await a.client.get(`/assets/${asset.id}`);
  t.is(pending.status, 200);
  t.deepEqual(pending.contractErrors, []);
  t.like(pending.body.data, { status: 'upload_pending', download_url: null, download_expires_at: null });

  for (const res of [
    await b.client.get(`/assets/${asset.id}`),
    await b.client.post(`/assets/${asset.id}/complete`, {}),
    await b.client.call('DELETE', `/assets/${asset.id}`),
  ]) {
    t.is(res.status, 404);
    t.deepEqual(res.contractErrors, []);
    t.deepEqual(res.body.error.details, { resource: 'asset', id: asset.id });
  }
  t.deepEqual((await b.client.get('/assets')).body.data, []);
  t.is((await a.client.get('/assets')).body.data.length, 1);
  t.like(await assetsDb(h).row(asset.id), { status: 'upload_pending' });
});
