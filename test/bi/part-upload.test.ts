// An export file's upload on the real S3 server: bytes in chunks of any size land as one object,
// byte for byte, with their SHA-256 and count; a file past one part is a multipart upload whose
// writer waits while every part buffer is in flight; a failed upload refuses further bytes and
// leaves no object.
import test from 'ava';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { GetObjectCommand, HeadObjectCommand, ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import { loadConfig } from '../../platform/config.ts';
import { createS3Client, ensureBucket } from '../../platform/s3.ts';
import { PartUpload } from '../../modules/bi/exports/part-upload.ts';

const config = loadConfig(process.env, { root: '/nonexistent' });
const s3 = createS3Client(config);
test.before(async () => { await ensureBucket(s3, config.s3Bucket); });
test.after.always(() => { s3.destroy(); refused.destroy(); });

const PART = 5 * 1024 * 1024;
// A client the server refuses (a wrong secret): every request fails.
const refused = createS3Client({ ...config, s3SecretAccessKey: 'not-the-secret' });
const target = (key: string, client = s3) => ({ s3: client, bucket: config.s3Bucket, key, contentType: 'text/csv' });
const fetchObject = async (key: string) => Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket: config.s3Bucket, Key: key }))).Body!.transformToByteArray());

/** Writes `file` in chunks of the given sizes (cycled), waiting whenever the upload asks to; counts the waits. */
async function writeAll(upload: PartUpload, file: Buffer, sizes: number[]): Promise<number> {
  let waits = 0;
  for (let at = 0, i = 0; at < file.length; i++) {
    const chunk = file.subarray(at, at + sizes[i % sizes.length]!);
    at += chunk.length;
    const taken = upload.write(chunk);
    if (taken) { waits++; await taken; }
  }
  return waits;
}

test('a file of several parts, written in chunks of any size, lands byte for byte with its SHA-256 and size', async (t) => {
  const file = randomBytes(2 * PART + 123_457);
  const key = `part-upload/${randomUUID()}`;
  const upload = new PartUpload(target(key), PART, 2);
  // 7 MB straddles a part boundary; the small odd sizes cross the others mid-chunk.
  const waits = await writeAll(upload, file, [65_536, 7 * 1024 * 1024, 1, 333_333]);
  await upload.end();
  t.true(waits > 0, 'with two part buffers, the writer waited for one to come back');
  t.deepEqual(upload.digest(), { sha256: createHash('sha256').update(file).digest('hex'), bytes: file.length });
  t.true((await fetchObject(key)).equals(file));
  const head = await s3.send(new HeadObjectCommand({ Bucket: config.s3Bucket, Key: key }));
  t.is(head.ContentType, 'text/csv');
  t.regex(head.ETag ?? '', /-3"?$/, 'three parts: a multipart upload');
});

test('a file smaller than a part, and an empty one, are each one plain object', async (t) => {
  for (const file of [randomBytes(10_000), Buffer.alloc(0)]) {
    const key = `part-upload/${randomUUID()}`;
    const upload = new PartUpload(target(key), PART, 2);
    if (file.length) t.is(upload.write(file), null, 'taken at once');
    await upload.end();
    t.true((await fetchObject(key)).equals(file));
    t.deepEqual(upload.digest(), { sha256: createHash('sha256').update(file).digest('hex'), bytes: file.length });
    t.notRegex((await s3.send(new HeadObjectCommand({ Bucket: config.s3Bucket, Key: key }))).ETag ?? '', /-\d+"?$/);
  }
});

test('a failing upload refuses further bytes with its reason; abort leaves no object and no open upload', async (t) => {
  const key = `part-upload/${randomUUID()}`;
  const upload = new PartUpload(target(key, refused), PART, 2);
  const file = randomBytes(3 * PART);
  const failure = await t.throwsAsync(writeAll(upload, file, [PART]));
  t.is(upload.failed, failure, 'the upload tells why it failed');
  await t.throwsAsync(async () => upload.write(Buffer.from('more')));
  await upload.abort();
  await t.throwsAsync(s3.send(new HeadObjectCommand({ Bucket: config.s3Bucket, Key: key })));

  // Aborting a multipart upload on the real bucket drops it: nothing is listed as in progress.
  const key2 = `part-upload/${randomUUID()}`;
  const aborted = new PartUpload(target(key2), PART, 2);
  await writeAll(aborted, randomBytes(PART + 10), [PART + 10]);
  await aborted.abort();
  await t.throwsAsync(async () => aborted.write(Buffer.from('x')));
  const open = await s3.send(new ListMultipartUploadsCommand({ Bucket: config.s3Bucket, Prefix: key2 }));
  t.deepEqual(open.Uploads ?? [], []);
  await t.throwsAsync(s3.send(new HeadObjectCommand({ Bucket: config.s3Bucket, Key: key2 })));
});
