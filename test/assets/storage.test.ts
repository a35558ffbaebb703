// The module's S3 operations on the real server: reads and copies pinned to an ETag refuse bytes
// that changed since (the completion then fails with object_changed), deletes are repeatable, and
// a missing object heads as null.
import test from 'ava';
import { randomUUID } from 'node:crypto';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { ApplicationFailure } from '@temporalio/common';
import { loadConfig } from '../../platform/config.ts';
import { createLogger } from '../../platform/logger.ts';
import { createS3Client, ensureBucket } from '../../platform/s3.ts';
import { createCompletionActivities } from '../../modules/assets/completion/activities.ts';
import type { InspectedUpload } from '../../modules/assets/completion/types.ts';
import {
  assetStorage, copyObject, deleteObjects, hashObject, headObject, ObjectChanged, readFirstBytes,
} from '../../modules/assets/storage.ts';
import type { MikroORM } from '../../platform/db.ts';
import { sha256 } from './helpers.ts';

const config = loadConfig(process.env, { root: '/nonexistent' });
const s3 = createS3Client(config);
const storage = assetStorage({ s3, config });
test.before(async () => { await ensureBucket(s3, config.s3Bucket); });
test.after.always(() => { s3.destroy(); });

const put = (Key: string, body: string) => s3.send(new PutObjectCommand({ Bucket: config.s3Bucket, Key, Body: body }));
const prefix = () => `test/assets-storage/${randomUUID()}`;

test('head, first bytes and hash read the object; a missing one heads as null', async (t) => {
  const key = `${prefix()}/upload`;
  t.is(await headObject(storage, key), null);
  await put(key, 'hello world');
  const head = (await headObject(storage, key))!;
  t.like(head, { size: 11, sha256Hex: null });
  t.truthy(head.etag);
  t.is((await readFirstBytes(storage, key, head.etag, 5)).toString(), 'hello');
  const seen: number[] = [];
  t.deepEqual(await hashObject(storage, key, head.etag, (n) => seen.push(n)), { sha256Hex: sha256(Buffer.from('hello world')), bytes: 11 });
  t.is(seen.at(-1), 11);
});

test('bytes replaced after they were inspected are neither read nor copied', async (t) => {
  const base = prefix();
  await put(`${base}/upload`, 'checked bytes');
  const { etag } = (await headObject(storage, `${base}/upload`))!;
  await put(`${base}/upload`, 'other bytes!!');
  await t.throwsAsync(readFirstBytes(storage, `${base}/upload`, etag, 4), { instanceOf: ObjectChanged });
  await t.throwsAsync(hashObject(storage, `${base}/upload`, etag, () => {}), { instanceOf: ObjectChanged });
  await t.throwsAsync(copyObject(storage, `${base}/upload`, `${base}/content`, etag), { instanceOf: ObjectChanged });
  t.is(await headObject(storage, `${base}/content`), null, 'nothing was copied');

  // The completion's promote step reports it as the asset's failure, not a retryable error.
  const activities = createCompletionActivities({ config, logger: createLogger('silent'), orm: {} as MikroORM, s3, resources: new Map(), seeders: [], biTables: [] });
  const inspected: InspectedUpload = {
    done: false, status: 'processing', uploadKey: `${base}/upload`, objectKey: `${base}/content`, etag,
    byteSize: 13, storedChecksum: null, expectedChecksum: null, metadata: {},
  };
  const err = await t.throwsAsync(activities.promoteAssetUpload(inspected), { instanceOf: ApplicationFailure });
  t.is(err!.type, 'AssetVerificationFailed');
  t.true(err!.nonRetryable);
  t.like(err!.details?.[0], { reason: 'object_changed', field: 'asset_id' });
});

test('deleting is repeatable: missing keys are not an error', async (t) => {
  const base = prefix();
  await put(`${base}/content`, 'x');
  await deleteObjects(storage, [`${base}/upload`, `${base}/content`]);
  t.is(await headObject(storage, `${base}/content`), null);
  await t.notThrowsAsync(deleteObjects(storage, [`${base}/upload`, `${base}/content`]));
});
