// Presigned URLs against the real S3 server bin/test started (SeaweedFS): what the asset upload
// flow relies on. Bytes and content type round-trip; a tampered or expired signature is refused;
// a URL bound to a content type and a checksum accepts nothing else.
import { randomBytes, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { crc32 } from 'node:zlib';
import test from 'ava';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { loadConfig } from '../../platform/config.ts';
import { createS3Client, ensureBucket } from '../../platform/s3.ts';

const config = loadConfig(process.env, { root: '/nonexistent' });
const s3 = createS3Client(config);
test.before(async () => { await ensureBucket(s3, config.s3Bucket); });
test.after.always(() => { s3.destroy(); });

const Bucket = config.s3Bucket;
const key = (name: string) => `test/s3/${randomUUID()}/${name}`;

/** Flips the last hex digit of X-Amz-Signature: same length, different value. */
function tamper(url: string): string {
  const u = new URL(url);
  const sig = u.searchParams.get('X-Amz-Signature');
  if (!sig) throw new Error(`not a SigV4 presigned URL: ${url}`);
  u.searchParams.set('X-Amz-Signature', sig.slice(0, -1) + (sig.endsWith('0') ? '1' : '0'));
  return u.toString();
}

const crc32Base64 = (data: Buffer) => { const b = Buffer.alloc(4); b.writeUInt32BE(crc32(data)); return b.toString('base64'); };

async function status(res: Response): Promise<number> {
  await res.arrayBuffer(); // drain, so the connection is reused
  return res.status;
}

test('an object stored through a presigned PUT reads back through a presigned GET', async (t) => {
  // The upload flow's case: the URL is signed before the bytes exist, so it cannot carry a
  // checksum of them.
  const Key = key('report.bin');
  const body = randomBytes(64 * 1024 + 7);
  const contentType = 'application/vnd.slab5.test+octet-stream';

  const putUrl = await getSignedUrl(s3, new PutObjectCommand({ Bucket, Key, ContentType: contentType }), { expiresIn: 300 });
  t.true(putUrl.startsWith(`${config.s3Endpoint}/`), 'the URL points at the configured endpoint');
  // With the SDK's default (requestChecksumCalculation WHEN_SUPPORTED) the URL carries the CRC32
  // of an empty body and every real upload fails with BadDigest.
  t.false(new URL(putUrl).searchParams.has('x-amz-checksum-crc32'),
    'createS3Client must set requestChecksumCalculation: "WHEN_REQUIRED" for presigned uploads');
  const put = await fetch(putUrl, { method: 'PUT', body, headers: { 'Content-Type': contentType } });
  t.is(put.status, 200, await put.text());

  const getUrl = await getSignedUrl(s3, new GetObjectCommand({ Bucket, Key }), { expiresIn: 300 });
  const got = await fetch(getUrl);
  t.is(got.status, 200);
  t.is(got.headers.get('content-type'), contentType);
  const bytes = Buffer.from(await got.arrayBuffer());
  t.is(bytes.length, body.length);
  t.true(bytes.equals(body), 'the bytes read back are the bytes stored');
});

test('a presigned PUT bound to a content type and a CRC32 accepts only those', async (t) => {
  const Key = key('bound.txt');
  const body = Buffer.from(`exact bytes ${randomUUID()}`);
  const url = await getSignedUrl(s3, new PutObjectCommand({ Bucket, Key, ContentType: 'text/plain', ChecksumCRC32: crc32Base64(body) }),
    { expiresIn: 300, signableHeaders: new Set(['content-type']) });

  t.is(await status(await fetch(url, { method: 'PUT', body, headers: { 'Content-Type': 'image/png' } })), 403, 'another content type breaks the signature');
  const corrupted = Buffer.from(body); corrupted[0] = corrupted[0]! ^ 1;
  const bad = await fetch(url, { method: 'PUT', body: corrupted, headers: { 'Content-Type': 'text/plain' } });
  t.is(bad.status, 400);
  t.regex(await bad.text(), /BadDigest|Checksum/i);
  t.is(await status(await fetch(url, { method: 'PUT', body, headers: { 'Content-Type': 'text/plain' } })), 200);

  const got = await fetch(await getSignedUrl(s3, new GetObjectCommand({ Bucket, Key }), { expiresIn: 300 }));
  t.is(got.status, 200);
  t.is(got.headers.get('content-type'), 'text/plain');
  t.true(Buffer.from(await got.arrayBuffer()).equals(body));
});

test('a tampered signature is rejected with 403, for GET and for PUT; unsigned requests too', async (t) => {
  const Key = key('tamper.txt');
  const original = Buffer.from('original');
  await s3.send(new PutObjectCommand({ Bucket, Key, Body: original, ContentType: 'text/plain' }));

  const getUrl = await getSignedUrl(s3, new GetObjectCommand({ Bucket, Key }), { expiresIn: 300 });
  const badGet = await fetch(tamper(getUrl));
  t.is(badGet.status, 403);
  t.regex(await badGet.text(), /SignatureDoesNotMatch|AccessDenied/);
  t.is(await status(await fetch(`${config.s3Endpoint}/${Bucket}/${Key}`)), 403, 'the bucket is private');

  const putUrl = await getSignedUrl(s3, new PutObjectCommand({ Bucket, Key, ContentType: 'text/plain' }), { expiresIn: 300 });
  t.is(await status(await fetch(tamper(putUrl), { method: 'PUT', body: 'overwritten', headers: { 'Content-Type': 'text/plain' } })), 403);

  // The refused PUT changed nothing.
  const got = await fetch(getUrl);
  t.is(got.status, 200);
  t.true(Buffer.from(await got.arrayBuffer()).equals(original));
});

test('an expired presigned URL is rejected with 403', async (t) => {
  const Key = key('expiring.txt');
  await s3.send(new PutObjectCommand({ Bucket, Key, Body: 'x', ContentType: 'text/plain' }));
  const getUrl = await getSignedUrl(s3, new GetObjectCommand({ Bucket, Key }), { expiresIn: 1 });
  await sleep(2_100);
  t.is(await status(await fetch(getUrl)), 403);
  const fresh = await getSignedUrl(s3, new GetObjectCommand({ Bucket, Key }), { expiresIn: 300 });
  t.is(await status(await fetch(fresh)), 200, 'the object itself is readable');
});
