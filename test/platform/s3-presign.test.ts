// presignUrl signs for the public S3 endpoint (S3_PUBLIC_ENDPOINT), not the API's own: against
// the real S3 server, reached as "localhost" where the API reaches it as 127.0.0.1, the URL works
// for a client that uses the public host, and is refused when sent to the internal one.
import { randomUUID } from 'node:crypto';
import test from 'ava';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { loadConfig } from '../../platform/config.ts';
import { createS3Client, ensureBucket, presignUrl } from '../../platform/s3.ts';

const config = loadConfig(process.env, { root: '/nonexistent' });
const s3 = createS3Client(config);
const Bucket = config.s3Bucket;
const internal = new URL(config.s3Endpoint);
const publicEndpoint = `http://localhost:${internal.port}`;
test.before(async () => { await ensureBucket(s3, Bucket); });
test.after.always(() => { s3.destroy(); });

test('a URL signed for the public endpoint works there, with exactly its signed headers, and nowhere else', async (t) => {
  const Key = `test/presign/${randomUUID()}`;
  const body = Buffer.from('public bytes');
  const put = await presignUrl(s3, new PutObjectCommand({ Bucket, Key, ContentType: 'text/plain', ContentLength: body.length }),
    { expiresIn: 60, publicEndpoint, signedHeaders: ['Content-Type', 'Content-Length'] });
  const url = new URL(put);
  t.is(url.origin, publicEndpoint);
  t.is(url.pathname, `/${Bucket}/${Key}`);
  t.is(url.searchParams.get('X-Amz-SignedHeaders'), 'content-length;content-type;host');

  const atInternal = new URL(put);
  atInternal.host = internal.host;
  t.is((await fetch(atInternal, { method: 'PUT', body, headers: { 'Content-Type': 'text/plain' } })).status, 403, 'the signature names the public host');
  t.is((await fetch(put, { method: 'PUT', body, headers: { 'Content-Type': 'application/json' } })).status, 403, 'content-type is signed');
  t.is((await fetch(put, { method: 'PUT', body, headers: { 'Content-Type': 'text/plain' } })).status, 200);

  const get = await presignUrl(s3, new GetObjectCommand({ Bucket, Key }), { expiresIn: 60, publicEndpoint });
  const res = await fetch(get);
  t.is(res.status, 200);
  t.is(await res.text(), 'public bytes');
});

test('a public endpoint with a path (a proxy in front of S3) prefixes the object path', async (t) => {
  const url = new URL(await presignUrl(s3, new GetObjectCommand({ Bucket, Key: 'a/b.txt' }), { expiresIn: 60, publicEndpoint: 'https://files.example.com/storage/' }));
  t.is(url.origin, 'https://files.example.com');
  t.is(url.pathname, `/storage/${Bucket}/a/b.txt`);
  t.is(url.searchParams.get('X-Amz-Expires'), '60');
});

test('a URL signed in the past expires by its own clock: S3 refuses it', async (t) => {
  const Key = `test/presign/${randomUUID()}`;
  const signingDate = new Date(Date.now() - 2 * 3600_000);
  const put = await presignUrl(s3, new PutObjectCommand({ Bucket, Key, ContentType: 'text/plain' }),
    { expiresIn: 3600, publicEndpoint: config.s3Endpoint, signedHeaders: ['content-type'], signingDate });
  const res = await fetch(put, { method: 'PUT', body: 'late', headers: { 'Content-Type': 'text/plain' } });
  t.is(res.status, 403);
  t.regex(await res.text(), /expired/i);
});
