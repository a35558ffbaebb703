// Shared by the asset tests: real file bytes (a PNG of a given size, a JPEG header), uploads with
// fetch() to the presigned URL the API handed out, and raw reads of what the module wrote.
import { createHash } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import type { ApiClient } from '../helpers/client.ts';
import type { Harness } from '../helpers/harness.ts';

export { putLargeMp4 } from '../../bench/fixtures/large-upload.ts';

export const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A valid grey PNG of width × height pixels; `padding` bytes of an ancillary chunk make it larger. */
export function png(width: number, height: number, padding = 0): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0); ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; ihdr[9] = 0; // 8-bit greyscale
  const rows = Buffer.alloc((width + 1) * height, 0x80);
  for (let y = 0; y < height; y++) rows[y * (width + 1)] = 0; // filter byte
  const parts = [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr)];
  if (padding) parts.push(chunk('teXt', Buffer.concat([Buffer.from('Comment\0'), Buffer.alloc(padding, 0x61)])));
  parts.push(chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0)));
  return Buffer.concat(parts);
}

/** The start of a baseline JPEG (SOI, APP0, SOF0 with its size): what sniffing and sizing read. */
export function jpegHead(width: number, height: number): Buffer {
  const app0 = Buffer.from([0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]);
  const sof = Buffer.from([0xff, 0xc0, 0x00, 0x11, 0x08, height >> 8, height & 0xff, width >> 8, width & 0xff, 0x03, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app0, sof, Buffer.alloc(64, 0), Buffer.from([0xff, 0xd9])]);
}

/** PUTs the bytes to the intent's URL with exactly its headers (or the given ones). */
export async function upload(intent: { upload_url: string; upload_headers: Record<string, string> }, body: Buffer, headers = intent.upload_headers): Promise<{ status: number; text: string }> {
  const res = await fetch(intent.upload_url, { method: 'PUT', body: new Uint8Array(body), headers });
  return { status: res.status, text: await res.text() };
}

export async function download(url: string): Promise<{ status: number; bytes: Buffer; headers: Headers }> {
  const res = await fetch(url);
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()), headers: res.headers };
}

/** Creates the intent (201 expected), PUTs the bytes, and answers the intent. */
export async function uploaded(client: ApiClient, body: Record<string, unknown>, bytes: Buffer) {
  const intent = await client.post('/assets', body);
  if (intent.status !== 201) throw new Error(`intent: ${intent.status} ${JSON.stringify(intent.body)}`);
  const put = await upload(intent.body.data, bytes);
  if (put.status !== 200) throw new Error(`upload: ${put.status} ${put.text}`);
  return intent.body.data;
}

export function assetsDb(h: Harness) {
  return {
    row: async (id: string) => (await h.sql('select * from assets where id = ?', [id]))[0],
    events: async (workspaceId: string, assetId: string) =>
      (await h.sql<{ type: string }>('select type from outbox_events where workspace_id = ? and resource_id = ? order by id', [workspaceId, assetId])).map((r) => r.type),
    /** Whether the key exists in the harness's bucket. */
    exists: async (key: string) => {
      try { await h.deps.s3.send(new HeadObjectCommand({ Bucket: h.config.s3Bucket, Key: key })); return true; } catch (err) {
        if ((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
        throw err;
      }
    },
  };
}

/** The first bytes of an MP4 (an ftyp box): what file-type recognises as video/mp4. */

/**
 * The harness settings of the asset tests: completion requests wait for their workflow up to two
 * minutes, so a loaded machine turns nothing into a 202 (the 202 path has tests of its own).
 */
export const WAIT_FOR_COMPLETION = { ASSET_COMPLETE_WAIT_MS: '120000' };
