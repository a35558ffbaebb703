// The export's steps, as the activities run them. runExport is idempotent: a succeeded export
// answers what it recorded; otherwise the whole file is produced again under the same key, so a
// retry after a crash overwrites whatever the dead attempt left with one complete file.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LockMode } from '@mikro-orm/postgresql';
import { Upload } from '@aws-sdk/lib-storage';
import { notFound } from '../../../platform/errors.ts';
import { sql } from '../../../platform/db.ts';
import type { TenantContext } from '../../../kernel/tenant.ts';
import { recordEvent } from '../../../kernel/outbox.ts';
import type { BiEngine } from '../engine/engine.ts';
import type { ResultColumn } from '../engine/sandbox.ts';
import { BiExportSchema, type BiExport, type ExportError } from '../entities.ts';
import { executeQuery, prepareQuery, type PreparedQuery } from '../query/run.ts';
import { serializeExport } from '../serializers.ts';
import { ExportFile, MIME_TYPES } from './file.ts';
import { deleteExportFile, type ExportStorage } from './storage.ts';
import { EXPORT_TTL_MS, STREAMED_PERCENT, type ExportDone, type ExportProgress } from './types.ts';

/** An export may run far longer than an interactive query's timeout. */
export const EXPORT_QUERY_TIMEOUT_MS = 30 * 60_000;
const PART_SIZE = 8 * 1024 * 1024;

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
  const planned = Math.min(await countRows(env.engine, ctx.workspaceId, prepared), start.row_limit);
  await sql(ctx.em.fork(), 'update bi_exports set planned_rows = ?, updated_at = now() where workspace_id = ? and id = ?', [planned, ctx.workspaceId, exportId]);
  env.progress({ status: 'running', progress: 0, rows_written: 0, planned_rows: planned });

  const dir = await mkdtemp(join(tmpdir(), `slab5-${exportId}-`));
  try {
    const path = join(dir, `export.${start.format}`);
    const file = await ExportFile.open(dir);
    let columns: ResultColumn[] = [];
    try {
      const result = await executeQuery(env.engine, ctx.workspaceId, prepared, {
        maxRows: start.row_limit, timeoutMs: EXPORT_QUERY_TIMEOUT_MS,
        onChunk: async (chunk, cols) => {
          await file.append(chunk, cols);
          env.progress({ status: 'running', progress: percent(file.rows, planned), rows_written: file.rows, planned_rows: planned });
        },
      });
      columns = result.columns;
      await file.write(columns, start.format, path);
    } finally {
      file.close();
    }
    const rows = file.rows;
    env.progress({ status: 'running', progress: STREAMED_PERCENT + 5, rows_written: rows, planned_rows: planned });
    const { sha256, bytes } = await hashFile(path);
    await new Upload({
      client: env.storage.s3, partSize: PART_SIZE, queueSize: 2, leavePartsOnError: false,
      params: { Bucket: env.storage.bucket, Key: start.object_key, Body: createReadStream(path), ContentType: MIME_TYPES[start.format] },
    }).done();

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

/** How many rows the query answers (the sandbox counts them; the export is capped at its row limit). */
async function countRows(engine: BiEngine, workspaceId: string, q: PreparedQuery): Promise<number> {
  const counted = await executeQuery(engine, workspaceId, { ...q, sql: `SELECT count(*) AS n FROM (${q.sql}) AS export_source` }, { maxRows: 1, timeoutMs: EXPORT_QUERY_TIMEOUT_MS });
  return Number(counted.rows[0]?.[0] ?? 0);
}

async function hashFile(path: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return { sha256: hash.digest('hex'), bytes: (await stat(path)).size };
}

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
