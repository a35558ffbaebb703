// What completion refuses, each on real bytes in the real S3: a wrong checksum, a wrong size, a
// missing object, a sniffed type that is not the declared one, a disallowed sniffed type. A
// refused asset is marked failed with the reason, its objects are deleted, and completing it
// again answers the same 422 without new work.
import test from 'ava';
import { randomBytes } from 'node:crypto';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import type { ApiClient } from '../helpers/client.ts';
import { assetsDb, jpegHead, png, sha256, upload, uploaded, WAIT_FOR_COMPLETION } from './helpers.ts';

let h: Harness;
test.before(async () => { h = await bootHarness(WAIT_FOR_COMPLETION); });
test.after.always(async () => { await h?.close(); });

const commands = async (assetId: string) => (await h.sql('select id from workflow_commands where resource_id = ?', [assetId])).length;

/** Completes the asset expecting a 422 rule_violation; checks the failure it recorded and that its objects are gone. */
async function refused(t: import('ava').ExecutionContext, client: ApiClient, wsId: string, assetId: string, body: Record<string, unknown>, expected: { field: string; reason: string }) {
  const db = assetsDb(h);
  const res = await client.post(`/assets/${assetId}/complete`, body);
  t.is(res.status, 422, JSON.stringify(res.body));
  t.deepEqual(res.contractErrors, []);
  t.is(res.body.error.code, 'rule_violation');
  t.like(res.body.error.details, { ...expected, workflow_id: `asset-complete-${assetId}` });
  const got = (await client.get(`/assets/${assetId}`)).body.data;
  t.like(got, { status: 'failed', download_url: null, failure: expected });
  t.is(got.failure.message, res.body.error.message.replace(/^.*?: /, ''));
  const row = await db.row(assetId);
  t.false(await db.exists(row.upload_key), 'the uploaded object was deleted');
  t.false(await db.exists(row.object_key));
  t.deepEqual(await db.events(wsId, assetId), ['asset.created', 'asset.failed']);
  // Again: the same answer, from the record, with no new workflow.
  const before = await commands(assetId);
  const again = await client.post(`/assets/${assetId}/complete`, {});
  t.is(again.status, 422);
  t.deepEqual(again.body.error, res.body.error);
  t.is(await commands(assetId), before);
  return res;
}

test('a checksum that does not match the streamed bytes fails the asset, naming checksum_sha256', async (t) => {
  const { id, client } = await h.workspace();
  const bytes = png(32, 32);
  const asset = await uploaded(client, { asset_type: 'image', file_name: 'a.png', mime_type: 'image/png' }, bytes);
  const wrong = sha256(Buffer.from('something else'));
  const res = await refused(t, client, id, asset.id, { checksum_sha256: wrong.toUpperCase() }, { field: 'checksum_sha256', reason: 'checksum_mismatch' });
  t.true(res.body.error.message.includes(sha256(bytes)), 'the message names the real checksum');
});

test('a size that is not the uploaded one fails the asset, naming byte_size', async (t) => {
  const { id, client } = await h.workspace();
  const bytes = png(8, 8);
  const asset = await uploaded(client, { asset_type: 'image', file_name: 'a.png', mime_type: 'image/png' }, bytes);
  await refused(t, client, id, asset.id, { byte_size: bytes.length + 1 }, { field: 'byte_size', reason: 'size_mismatch' });
});

test('completing before anything was uploaded fails the asset: the object is missing', async (t) => {
  const { id, client } = await h.workspace();
  const asset = (await client.post('/assets', { asset_type: 'document', file_name: 'a.pdf', mime_type: 'application/pdf' })).body.data;
  await refused(t, client, id, asset.id, {}, { field: 'asset_id', reason: 'object_missing' });
});

test('bytes of another type than the declared one fail the asset, naming mime_type', async (t) => {
  const { id, client } = await h.workspace();
  const jpeg = await uploaded(client, { asset_type: 'image', file_name: 'photo.png', mime_type: 'image/png' }, jpegHead(100, 50));
  const res = await refused(t, client, id, jpeg.id, {}, { field: 'mime_type', reason: 'content_type_mismatch' });
  t.regex(res.body.error.message, /bytes are image\/jpeg, not the declared image\/png/);

  const text = await uploaded(client, { asset_type: 'image', file_name: 'fake.png', mime_type: 'image/png' }, Buffer.from('not an image at all'));
  await refused(t, client, id, text.id, {}, { field: 'mime_type', reason: 'content_type_mismatch' });

  const binary = await uploaded(client, { asset_type: 'document', file_name: 'notes.txt', mime_type: 'text/plain' }, Buffer.concat([Buffer.from('text'), randomBytes(64), Buffer.alloc(4)]));
  await refused(t, client, id, binary.id, {}, { field: 'mime_type', reason: 'content_type_mismatch' });
});

test('an executable uploaded as application/octet-stream is a disallowed sniffed type', async (t) => {
  const { id, client } = await h.workspace();
  const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(8), Buffer.from([2, 0, 0x3e, 0]), randomBytes(200)]);
  const asset = await uploaded(client, { asset_type: 'attachment', file_name: 'tool.bin', mime_type: 'application/octet-stream' }, elf);
  const res = await refused(t, client, id, asset.id, {}, { field: 'mime_type', reason: 'content_type_not_allowed' });
  t.regex(res.body.error.message, /application\/x-elf/);
});

test('a generic attachment takes the sniffed type when it is allowed, and plain text passes unsniffed', async (t) => {
  const { client } = await h.workspace();
  const generic = await uploaded(client, { asset_type: 'attachment', file_name: 'scan', mime_type: 'application/octet-stream' }, png(3, 2));
  const res = await client.post(`/assets/${generic.id}/complete`, {});
  t.is(res.status, 200, JSON.stringify(res.body));
  t.deepEqual(res.body.data.metadata, { sniffed_mime_type: 'image/png', width: 3, height: 2 });
  t.is(res.body.data.mime_type, 'application/octet-stream', 'the declared type stays; the sniffed one is metadata');

  const csv = await uploaded(client, { asset_type: 'document', file_name: 'leads.csv', mime_type: 'text/csv' }, Buffer.from('name,email\nAda,ada@example.com\n'));
  const done = await client.post(`/assets/${csv.id}/complete`, {});
  t.is(done.status, 200);
  t.deepEqual(done.body.data.metadata, { sniffed_mime_type: null });
});

test('limits refuse an intent before any URL exists: a disallowed type or an oversize declaration', async (t) => {
  const { id, client } = await h.workspace();
  const pdfAsImage = await client.post('/assets', { asset_type: 'image', file_name: 'a.pdf', mime_type: 'application/pdf' });
  t.is(pdfAsImage.status, 422);
  t.deepEqual(pdfAsImage.contractErrors, []);
  t.like(pdfAsImage.body.error, { code: 'rule_violation', details: { field: 'mime_type', reason: 'content_type_not_allowed' } });
  const svg = await client.post('/assets', { asset_type: 'image', file_name: 'logo.svg', mime_type: 'image/svg+xml' });
  t.is(svg.status, 422, 'SVG is not a default image type');
  const huge = await client.post('/assets', { asset_type: 'image', file_name: 'a.png', mime_type: 'image/png', byte_size: 25 * 1024 ** 2 + 1 });
  t.is(huge.status, 422);
  t.like(huge.body.error.details, { field: 'byte_size', reason: 'size_limit_exceeded', max_bytes: 25 * 1024 ** 2 });
  const tooBig = await client.post('/assets', { asset_type: 'video', file_name: 'a.mp4', mime_type: 'video/mp4', byte_size: 5 * 1024 ** 3 + 1 });
  t.is(tooBig.status, 422, 'the contract caps any declaration at 5 GiB');
  const control = await client.post('/assets', { asset_type: 'document', file_name: 'a\r\nb.txt', mime_type: 'text/plain' });
  t.is(control.status, 422);
  t.like(control.body.error.details, { fields: [{ field: 'file_name' }] });
  t.deepEqual(await h.sql('select id from assets where workspace_id = ?', [id]), [], 'no asset was created');
});

test('a declared size binds the upload URL: S3 refuses other lengths, and completion refuses a different claim', async (t) => {
  const { client } = await h.workspace();
  const bytes = png(4, 4);
  const asset = (await client.post('/assets', { asset_type: 'image', file_name: 'a.png', mime_type: 'image/png', byte_size: bytes.length })).body.data;
  const longer = await upload(asset, Buffer.concat([bytes, Buffer.alloc(1)]), { 'Content-Type': 'image/png' });
  t.is(longer.status, 403, 'the signature covers Content-Length');
  const otherType = await upload(asset, bytes, { 'Content-Type': 'image/jpeg', 'Content-Length': String(bytes.length) });
  t.is(otherType.status, 403, 'the signature covers Content-Type');
  t.is((await upload(asset, bytes)).status, 200);
  const conflicting = await client.post(`/assets/${asset.id}/complete`, { byte_size: bytes.length + 5 });
  t.is(conflicting.status, 422);
  t.like(conflicting.body.error.details, { field: 'byte_size', reason: 'size_mismatch' });
  t.is((await assetsDb(h).row(asset.id)).status, 'upload_pending', 'a conflicting claim changes nothing');
  t.is((await client.post(`/assets/${asset.id}/complete`, { byte_size: bytes.length })).status, 200);
});

test('an upload that declared no size and is larger than its type allows fails at completion', async (t) => {
  const { id, client } = await h.workspace();
  const bytes = png(1, 1, 25 * 1024 ** 2); // a valid PNG just over the image limit of 25 MiB
  const asset = await uploaded(client, { asset_type: 'image', file_name: 'huge.png', mime_type: 'image/png' }, bytes);
  const res = await refused(t, client, id, asset.id, {}, { field: 'byte_size', reason: 'size_limit_exceeded' });
  t.regex(res.body.error.message, new RegExp(`${bytes.length} bytes`));
});
