// An export file's way to S3: bytes are copied into a few part buffers that are reused for the
// whole file (no buffer per read, no concatenation into parts: a 1M-row export through
// lib-storage's Upload allocated ~100 MB of short-lived part buffers, whose garbage collection
// cost the worker about a second per export, measured by the bi-exports bench), hashed (SHA-256)
// and counted on the way. Full parts upload while the next fills; once every buffer is in
// flight, write() answers a promise and the writer waits (backpressure up to the pipe). A file
// smaller than one part is one PutObject; a larger one a multipart upload, completed by end() and
// aborted (its parts dropped) by abort().
import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import {
  AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CreateMultipartUploadCommand, PutObjectCommand, UploadPartCommand,
  type CompletedPart, type S3Client,
} from '@aws-sdk/client-s3';

export interface PartUploadTarget { s3: S3Client; bucket: string; key: string; contentType: string }

interface Part { buffer: Buffer; length: number }

export class PartUpload {
  private readonly hash = createHash('sha256');
  private bytes = 0;
  private readonly free: Part[];
  private filling: Part | null = null;
  private uploadId: Promise<string> | null = null;
  private readonly done: CompletedPart[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private waiting: { resolve: () => void; reject: (err: unknown) => void } | null = null;
  private failure: unknown = null;
  private nextPart = 1;

  /** `buffers` parts of `partSize` bytes (S3's least is 5 MiB) are all the memory it holds. */
  constructor(private readonly target: PartUploadTarget, private readonly partSize: number, buffers: number) {
    this.free = Array.from({ length: Math.max(2, buffers) }, () => ({ buffer: Buffer.allocUnsafe(partSize), length: 0 }));
  }

  /**
   * Takes the bytes (copied: the caller may reuse its buffer once this settles). Null when they
   * were all taken; otherwise a promise settled once they are (rejected if the upload failed).
   */
  write(bytes: Uint8Array): Promise<void> | null {
    if (this.failure) return Promise.reject(this.failure);
    this.hash.update(bytes);
    this.bytes += bytes.length;
    return this.fill(bytes);
  }

  private fill(bytes: Uint8Array): Promise<void> | null {
    let rest = bytes;
    while (rest.length) {
      this.filling ??= this.free.pop() ?? null;
      if (!this.filling) return this.bufferFreed().then(() => this.fill(rest) ?? undefined);
      const part = this.filling;
      const n = Math.min(rest.length, this.partSize - part.length);
      part.buffer.set(rest.subarray(0, n), part.length);
      part.length += n;
      rest = rest.subarray(n);
      if (part.length === this.partSize) { this.filling = null; this.ship(part); }
    }
    return null;
  }

  private bufferFreed(): Promise<void> {
    return new Promise((resolve, reject) => { this.waiting = { resolve, reject }; });
  }

  private wake(err?: unknown): void {
    const w = this.waiting;
    this.waiting = null;
    if (err !== undefined) w?.reject(err); else w?.resolve();
  }

  private ship(part: Part): void {
    const { s3, bucket, key, contentType } = this.target;
    this.uploadId ??= s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ContentType: contentType })).then((r) => r.UploadId!);
    const partNumber = this.nextPart++;
    const sending = this.uploadId
      .then((uploadId) => s3.send(new UploadPartCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumber: partNumber, Body: part.buffer.subarray(0, part.length) })))
      .then((r) => {
        this.done.push({ PartNumber: partNumber, ETag: r.ETag });
        part.length = 0;
        this.free.push(part);
        this.wake();
      }, (err) => {
        this.failure ??= err;
        this.wake(this.failure);
      })
      .finally(() => this.inFlight.delete(sending));
    this.inFlight.add(sending);
  }

  private async settled(): Promise<void> {
    while (this.inFlight.size) await Promise.all(this.inFlight);
  }

  /** Uploads what is left and completes the file: one PutObject if it never filled a part. */
  async end(): Promise<void> {
    if (this.failure) throw this.failure;
    const { s3, bucket, key, contentType } = this.target;
    const last = this.filling;
    this.filling = null;
    if (!this.uploadId) {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, ContentType: contentType, Body: last ? last.buffer.subarray(0, last.length) : Buffer.alloc(0) }));
      return;
    }
    if (last?.length) this.ship(last);
    await this.settled();
    if (this.failure) throw this.failure;
    const parts = [...this.done].sort((a, b) => a.PartNumber! - b.PartNumber!);
    await s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: await this.uploadId, MultipartUpload: { Parts: parts } }));
  }

  /** Stops taking bytes and drops the parts uploaded so far (never fails). */
  async abort(reason: unknown = new Error('the export file was not written')): Promise<void> {
    this.failure ??= reason;
    this.wake(this.failure);
    await this.settled();
    const uploadId = await this.uploadId?.catch(() => null);
    if (uploadId) await this.target.s3.send(new AbortMultipartUploadCommand({ Bucket: this.target.bucket, Key: this.target.key, UploadId: uploadId })).catch(() => undefined);
  }

  /** Why the upload failed, once it has. */
  get failed(): unknown {
    return this.failure;
  }

  digest(): { sha256: string; bytes: number } {
    return { sha256: this.hash.digest('hex'), bytes: this.bytes };
  }

  /** A Writable over write(), for writers that need a stream (exceljs); end() stays the caller's. */
  writable(): Writable {
    return new Writable({
      write: (chunk: Buffer, _encoding, callback) => {
        const taken = this.write(chunk);
        if (taken) taken.then(() => callback(), callback); else callback();
      },
    });
  }
}
