// The export's steps, as the activities run them. runExport is idempotent: a succeeded export
// answers what it recorded; otherwise the whole file is produced again under the same key, so a
// retry after a crash overwrites whatever the dead attempt left with one complete file. The file
// streams from the export's sandbox to S3 (multipart) as it is written; the upload completes only
// once the writer has ended the file, and is aborted when the writer fails.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LockMode } from '@mikro-orm/postgresql';
import { notFound } from '../../../platform/errors.ts';
import { sql } from '../../../platform/db.ts';
import type { TenantContext } from '../../../kernel/tenant.ts';
import { recordEvent } from '../../../kernel/outbox.ts';
import type { BiEngine, SandboxSource } from '../engine/engine.ts';
import { BiExportSchema, type BiExport, type ExportError } from '../entities.ts';
import { prepareQuery } from '../query/run.ts';
import { serializeExport } from '../serializers.ts';
import { MIME_TYPES } from './formats.ts';
import { PartUpload } from './part-upload.ts';
import { deleteExportFile, type ExportStorage } from './storage.ts';
import { EXPORT_TTL_MS, STREAMED_PERCENT, type ExportDone, type ExportProgress } from './types.ts';

/** An export may run far longer than an interactive query's timeout. */
export const EXPORT_QUERY_TIMEOUT_MS = 30 * 60_000;
// S3's smallest part; three buffers of it are what the upload holds (two uploading, one filling).
const PART_SIZE = 5 * 1024 * 1024;
const PART_BUFFERS = 3;

export interface ExportEnv {
  engine: BiEngine;
  storage: ExportStorage;
  /** A transaction on a fresh EntityManager, as the workspace. */
  inTx: <T>(work: (ctx: TenantContext) => Promise<T>) => Promise<T>;
  /** Reads outside a transaction. */
  reader: () => TenantContext;
  /** Progress as it moves (throttled by the caller). */
  progress: (p: ExportProgress) => void;
}

async function lockExport(ctx: TenantContext, id: string): Promise<BiExport> {
  const row = await ctx.em.findOne(BiExportSchema, { id, workspace_id: ctx.workspaceId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!row) throw notFound('bi_export', id);
  return row;
}

const doneOf = (row: BiExport): ExportDone => ({ rowCount: row.row_count!, byteSize: row.byte_size!, sha256: row.sha256!, expiresAt: row.expires_at!.toISOString() });

export async function runExport(env: ExportEnv, exportId: string): Promise<ExportDone> {
  const start = await env.inTx(async (ctx) => {
    const row = await lockExport(ctx, exportId);
    if (row.status === 'running' || row.status === 'queued') {
      const now = new Date();
      Object.assign(row, { status: 'running', progress: 0, started_at: row.started_at ?? now, updated_at: now });
      await ctx.em.flush();
    }
    return row;
  });
  if (start.status === 'succeeded') return doneOf(start);

  const ctx = env.reader();
  const prepared = await prepareQuery(ctx, env.engine, {
    report_id: start.report_id ?? undefined, dataset_id: start.dataset_id ?? undefined, sql: start.sql ?? undefined,
    filters: start.sql === null ? start.filters : undefined, row_limit: start.row_limit,
  });
  const source: SandboxSource = prepared.mock ? { mock: prepared.mock } : { needs: prepared.needs! };

  const dir = await mkdtemp(join(tmpdir(), `slab5-${exportId}-`));
  const output = join(dir, `export.${start.format}`);
  try {
    // The file goes to S3 as it is written: hashed and counted on the way, in parts.
    const upload = new PartUpload({ s3: env.storage.s3, bucket: env.storage.bucket, key: start.object_key, contentType: MIME_TYPES[start.format] }, PART_SIZE, PART_BUFFERS);
    let rows: number;
    try {
      // The writers load with the first export (they bring DuckDB's library; the API process,
      // which imports this module's activities with the manifest, never runs one).
      const { countRows, writeExport } = await import('./file.ts');
      rows = await env.engine.withOutputSandbox(ctx.workspaceId, source, output, EXPORT_QUERY_TIMEOUT_MS, async (instance) => {
        const planned = Math.min(await countRows(instance, prepared, EXPORT_QUERY_TIMEOUT_MS), start.row_limit);
        await sql(ctx.em.fork(), 'update bi_exports set planned_rows = ?, updated_at = now() where workspace_id = ? and id = ?', [planned, ctx.workspaceId, exportId]);
        const report = (written: number, progress: number) => env.progress({ status: 'running', progress, rows_written: written, planned_rows: planned });
        report(0, 0);
        const written = await writeExport(instance, prepared, start.format, {
          pipePath: output, maxRows: start.row_limit, timeoutMs: EXPORT_QUERY_TIMEOUT_MS, out: upload,
          progress: (p) => {
            const rowsNow = 'rows' in p ? p.rows : Math.floor((planned * p.percent) / 100);
            report(Math.min(rowsNow, planned), percent(rowsNow, planned));
          },
        });
        report(written, STREAMED_PERCENT + 5);
        return written;
      });
      await upload.end();
    } catch (err) {
      // The upload failing first made the writer fail: its reason is the one to tell.
      const cause = upload.failed ?? err;
      // Never completed: a failed writer's file goes nowhere (the upload's parts are dropped).
      await upload.abort();
      throw cause;
    }
    const { sha256, bytes } = upload.digest();

    return await env.inTx(async (tx) => {
      const row = await lockExport(tx, exportId);
      if (row.status === 'succeeded') return doneOf(row);
      const now = new Date();
      Object.assign(row, {
        status: 'succeeded', progress: 100, row_count: rows, byte_size: bytes, sha256, completed_at: now,
        expires_at: new Date(now.getTime() + EXPORT_TTL_MS), error: null, updated_at: now,
      });
      await tx.em.flush();
      recordEvent(tx, { type: 'bi_export.succeeded', resource_type: 'bi_export', resource_id: row.id, payload: serializeExport({ row, download: null }) });
      await tx.em.flush();
      return doneOf(row);
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const percent = (rows: number, planned: number) => (planned > 0 ? Math.min(STREAMED_PERCENT, Math.floor((rows / planned) * STREAMED_PERCENT)) : 0);

/** Ends the export `failed` with its reason (a succeeded or failed export is left as it is). */
export async function failExport(ctx: TenantContext, exportId: string, error: ExportError): Promise<void> {
  const row = await lockExport(ctx, exportId);
  if (row.status === 'succeeded' || row.status === 'failed') return;
  const now = new Date();
  Object.assign(row, { status: 'failed', error, completed_at: now, updated_at: now });
  await ctx.em.flush();
  recordEvent(ctx, { type: 'bi_export.failed', resource_type: 'bi_export', resource_id: row.id, payload: serializeExport({ row, download: null }) });
  await ctx.em.flush();
}

/** Deletes the expired file (idempotent: deleting a missing key is no error) and records when. */
export async function expireExport(ctx: TenantContext, storage: ExportStorage, exportId: string): Promise<void> {
  const row = await lockExport(ctx, exportId);
  if (row.file_deleted_at) return;
  await deleteExportFile(storage, row);
  row.file_deleted_at = new Date();
  row.updated_at = row.file_deleted_at;
  await ctx.em.flush();
}
