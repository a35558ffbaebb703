// Everything the assets module asks of S3. Clients PUT to the upload key with a presigned URL;
// verification reads that object pinned to the ETag it inspected, and copies exactly those bytes
// to the object key, which only the server writes, so bytes replaced after verification (the
// upload URL is still valid) never reach a download. Keys live under the workspace's prefix and
// are built from ids only, never from the client's file name.
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import {
  CopyObjectCommand, DeleteObjectsCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client,
} from '@aws-sdk/client-s3';
import type { Config } from '../../platform/config.ts';
import { presignUrl } from '../../platform/s3.ts';
import { attachmentDisposition } from './disposition.ts';

export const UPLOAD_URL_TTL_SECONDS = 3600;
export const DOWNLOAD_URL_TTL_SECONDS = 900;

export interface AssetStorage { s3: S3Client; bucket: string; publicEndpoint: string }

export const assetStorage = (deps: { s3: S3Client; config: Config }): AssetStorage =>
  ({ s3: deps.s3, bucket: deps.config.s3Bucket, publicEndpoint: deps.config.s3PublicEndpoint });

export const assetKeys = (workspaceId: string, assetId: string) => ({
  upload: `workspaces/${workspaceId}/assets/${assetId}/upload`,
  object: `workspaces/${workspaceId}/assets/${assetId}/content`,
});

export const hexToBase64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64');
export const base64ToHex = (b64: string) => Buffer.from(b64, 'base64').toString('hex');

export interface PresignedUpload { url: string; headers: Record<string, string>; expiresAt: Date }

/** The PUT the client makes: these headers exactly, or S3 refuses the signature (or the bytes). */
export async function presignUpload(storage: AssetStorage, upload: { key: string; mimeType: string; byteSize: number | null; checksumHex: string | null }, now = new Date()): Promise<PresignedUpload> {
  const headers: Record<string, string> = { 'Content-Type': upload.mimeType };
  if (upload.byteSize !== null) headers['Content-Length'] = String(upload.byteSize);
  if (upload.checksumHex !== null) headers['x-amz-checksum-sha256'] = hexToBase64(upload.checksumHex);
  const command = new PutObjectCommand({
    Bucket: storage.bucket,
    Key: upload.key,
    ContentType: upload.mimeType,
    ContentLength: upload.byteSize ?? undefined,
    ChecksumSHA256: upload.checksumHex === null ? undefined : headers['x-amz-checksum-sha256'],
  });
  const url = await presignUrl(storage.s3, command, {
    expiresIn: UPLOAD_URL_TTL_SECONDS,
    publicEndpoint: storage.publicEndpoint,
    signedHeaders: Object.keys(headers),
    headerOnly: ['x-amz-checksum-sha256'],
    signingDate: now,
  });
  return { url, headers, expiresAt: new Date(now.getTime() + UPLOAD_URL_TTL_SECONDS * 1000) };
}

export async function presignDownload(storage: AssetStorage, object: { key: string; mimeType: string; fileName: string }, now = new Date()): Promise<{ url: string; expiresAt: Date }> {
  const command = new GetObjectCommand({
    Bucket: storage.bucket,
    Key: object.key,
    ResponseContentType: object.mimeType,
    ResponseContentDisposition: attachmentDisposition(object.fileName),
  });
  const url = await presignUrl(storage.s3, command, { expiresIn: DOWNLOAD_URL_TTL_SECONDS, publicEndpoint: storage.publicEndpoint, signingDate: now });
  return { url, expiresAt: new Date(now.getTime() + DOWNLOAD_URL_TTL_SECONDS * 1000) };
}

/** The object's bytes changed between two reads (an ETag precondition failed). */
export class ObjectChanged extends Error {}

export interface ObjectHead { size: number; etag: string; sha256Hex: string | null }

/** The object's size, ETag and the SHA-256 S3 verified on upload (when it has one); null when absent. */
export async function headObject(storage: AssetStorage, key: string): Promise<ObjectHead | null> {
  try {
    const head = await storage.s3.send(new HeadObjectCommand({ Bucket: storage.bucket, Key: key, ChecksumMode: 'ENABLED' }));
    // A composite (multipart) checksum is not the checksum of the whole object.
    const whole = head.ChecksumSHA256 && head.ChecksumType !== 'COMPOSITE' && !head.ChecksumSHA256.includes('-');
    return { size: head.ContentLength ?? 0, etag: head.ETag ?? '', sha256Hex: whole ? base64ToHex(head.ChecksumSHA256!) : null };
  } catch (err) {
    if (isStatus(err, 404)) return null;
    throw err;
  }
}

/** Up to `length` first bytes of the object, provided it still has this ETag. */
export async function readFirstBytes(storage: AssetStorage, key: string, etag: string, length: number): Promise<Buffer> {
  if (length <= 0) return Buffer.alloc(0);
  const res = await pinned(() => storage.s3.send(new GetObjectCommand({ Bucket: storage.bucket, Key: key, IfMatch: etag, Range: `bytes=0-${length - 1}` })));
  return Buffer.from(await res.Body!.transformToByteArray());
}

/**
 * Streams the object (pinned to its ETag) through SHA-256: memory stays flat whatever its size.
 * `progress` is called after each chunk with the bytes hashed so far.
 */
export async function hashObject(storage: AssetStorage, key: string, etag: string, progress: (bytes: number) => void, abortSignal?: AbortSignal): Promise<{ sha256Hex: string; bytes: number }> {
  const res = await pinned(() => storage.s3.send(new GetObjectCommand({ Bucket: storage.bucket, Key: key, IfMatch: etag }), { abortSignal }));
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of res.Body as Readable) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
    progress(bytes);
  }
  return { sha256Hex: hash.digest('hex'), bytes };
}

/** Server-side copy of exactly the bytes with this ETag. */
export async function copyObject(storage: AssetStorage, from: string, to: string, etag: string): Promise<void> {
  await pinned(() => storage.s3.send(new CopyObjectCommand({
    Bucket: storage.bucket, Key: to, CopySource: `${storage.bucket}/${from}`, CopySourceIfMatch: etag,
  })));
}

/** Deletes the keys; deleting a missing key is not an error (S3 semantics), so this is idempotent. */
export async function deleteObjects(storage: AssetStorage, keys: string[]): Promise<void> {
  const res = await storage.s3.send(new DeleteObjectsCommand({ Bucket: storage.bucket, Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true } }));
  if (res.Errors?.length) throw new Error(`S3 could not delete ${res.Errors.map((e) => `${e.Key} (${e.Code}: ${e.Message})`).join(', ')}`);
}

async function pinned<T>(send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (err) {
    if (isStatus(err, 412)) throw new ObjectChanged('The object changed while it was being verified.');
    throw err;
  }
}

const isStatus = (err: unknown, status: number) => (err as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode === status;
