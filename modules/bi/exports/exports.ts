// createBiExport / listBiExports: the request checks the source now (404, 409, 422 as
// runBiQuery answers them), records the export `queued` with its workflow command in the same
// transaction, and the workflow does the rest. Lists carry a presigned download link made at
// read time.
import type { FilterQuery } from '@mikro-orm/postgresql';
import { newId } from '../../../platform/ids.ts';
import type { TenantContext } from '../../../kernel/tenant.ts';
import { insertCreated } from '../../../kernel/outbox.ts';
import { enqueueWorkflow } from '../../../kernel/workflow-commands/enqueue.ts';
import { findPage, type Page } from '../../../kernel/pagination.ts';
import type { BodyOf, QueryOf } from '../../../api/operations.ts';
import { BI_IDS } from '../ids.ts';
import { BiDatasetSchema, BiExportSchema, BiReportSchema, type BiExport, type BiFilter, type ExportFormat } from '../entities.ts';
import type { BiEngine } from '../engine/engine.ts';
import { prepareQuery } from '../query/run.ts';
import { serializeExport, type ExportView } from '../serializers.ts';
import { exportDownload, exportObjectKey, type ExportStorage } from './storage.ts';
import { exportWorkflowId, type BiExportInput } from './types.ts';

export const DEFAULT_EXPORT_ROWS = 1_000_000;

export interface ExportRequest {
  format: ExportFormat;
  report_id?: string;
  dataset_id?: string;
  sql?: string;
  filters?: BiFilter[];
  file_name?: string;
  row_limit?: number;
  scheduled_artifact_id?: string | null;
  schedule_run?: string | null;
}

/**
 * Checks the source and records the export, in the caller's transaction, with the command that
 * starts its workflow (a scheduled run starts it as its child instead: `enqueue: false`).
 */
export async function createExport(ctx: TenantContext, engine: BiEngine, input: ExportRequest, opts: { enqueue: boolean } = { enqueue: true }): Promise<BiExport> {
  const rowLimit = input.row_limit ?? DEFAULT_EXPORT_ROWS;
  await prepareQuery(ctx, engine, { ...input, row_limit: rowLimit });
  const id = newId(BI_IDS.export);
  const now = new Date();
  const row = ctx.em.create(BiExportSchema, {
    id, workspace_id: ctx.workspaceId, status: 'queued', progress: 0, format: input.format,
    report_id: input.report_id ?? null, dataset_id: input.dataset_id ?? null, sql: input.sql ?? null, filters: input.filters ?? [],
    row_limit: rowLimit, file_name: input.file_name ?? await defaultFileName(ctx, input),
    planned_rows: null, row_count: null, byte_size: null, sha256: null, object_key: exportObjectKey(ctx.workspaceId, id),
    error: null, workflow_id: exportWorkflowId(id), scheduled_artifact_id: input.scheduled_artifact_id ?? null, schedule_run: input.schedule_run ?? null,
    started_at: null, completed_at: null, expires_at: null, file_deleted_at: null, created_at: now, updated_at: now,
  });
  await insertCreated(ctx, 'bi_export', row, serializeExport({ row, download: null }));
  if (!opts.enqueue) return row;
  const args: BiExportInput = { workspaceId: ctx.workspaceId, exportId: id, requestId: ctx.requestId };
  enqueueWorkflow(ctx, { workflowType: 'biExport', workflowId: row.workflow_id, resourceId: id, args: [args] });
  return row;
}

/** `<source name>.<format>`, without characters a file name cannot hold. */
async function defaultFileName(ctx: TenantContext, input: ExportRequest): Promise<string> {
  const where = { workspace_id: ctx.workspaceId };
  const source = input.report_id !== undefined ? await ctx.em.findOne(BiReportSchema, { ...where, id: input.report_id })
    : input.dataset_id !== undefined ? await ctx.em.findOne(BiDatasetSchema, { ...where, id: input.dataset_id }) : null;
  const base = (source?.name ?? 'query').replace(/[/\\\u0000-\u001f]+/g, '-').trim().slice(0, 180) || 'export';
  return `${base}.${input.format}`;
}

export async function listExports(ctx: TenantContext, storage: ExportStorage, filters: QueryOf<'listBiExports'>): Promise<Page<ExportView>> {
  const where: Record<string, unknown> = {};
  for (const key of ['status', 'format', 'report_id', 'dataset_id', 'scheduled_artifact_id'] as const) {
    if (filters[key] !== undefined) where[key] = filters[key];
  }
  const page = await findPage(ctx, BiExportSchema, 'bi_exports', where as FilterQuery<BiExport>, filters);
  const now = new Date();
  const items = await Promise.all(page.items.map(async (row) => ({ row, download: await exportDownload(storage, row, now) })));
  return { items, next_cursor: page.next_cursor };
}

export const exportBody = (body: BodyOf<'createBiExport'>): ExportRequest => body as ExportRequest;
