// runBiQuery: one source (a saved report, an ad-hoc question over a dataset, or SQL) answered by
// DuckDB over the workspace's snapshot, in a sandbox, within the row limit and the timeout.
// prepareQuery and executeQuery are apart so exports (issue 14) stream the same query's rows.
import { newId } from '../../../platform/ids.ts';
import { validationFailed, type FieldProblem } from '../../../platform/errors.ts';
import type { TenantContext } from '../../../kernel/tenant.ts';
import type { BodyOf, Schema } from '../../../api/operations.ts';
import type { BiEngine, EngineResult, RunOptions } from '../engine/engine.ts';
import type { TableNeeds } from '../engine/snapshots.ts';
import { BI_IDS } from '../ids.ts';
import type { BiDataset, BiFilter } from '../entities.ts';
import { findUsable } from '../objects/references.ts';
import { usableMetrics } from '../objects/metrics.ts';
import { MOCK_TYPES, mockText } from '../objects/dataset-definition.ts';
import { compileQuery, specProblems, type QuerySpec } from './compile.ts';
import { filterProblems } from './filters.ts';

/** A query's source, as runBiQuery and createBiExport take it. */
export interface QuerySource {
  report_id?: string;
  dataset_id?: string;
  sql?: string;
  dimensions?: string[];
  metric_ids?: string[];
  filters?: BiFilter[];
  sort?: { column: string; direction?: 'asc' | 'desc' }[];
  time_dimension?: QuerySpec['time_dimension'];
  row_limit?: number;
}

export interface PreparedQuery {
  reportId: string | null;
  datasetId: string | null;
  sql: string;
  params: unknown[];
  /** Snapshot tables to hold; null: the mock rows below. */
  needs: TableNeeds | null;
  mock: { columns: { name: string; duckType: string }[]; rows: (string | null)[][] } | null;
  labels: ReadonlyMap<string, string | null>;
  rowLimit: number;
  /** The request field DuckDB's errors name. */
  field: string;
}

/** Checks the source against its objects and columns (404, 409, 422) and compiles it. */
export async function prepareQuery(ctx: TenantContext, engine: BiEngine, source: QuerySource): Promise<PreparedQuery> {
  if (source.sql !== undefined) {
    const planned = await engine.plan(source.sql, 'sql');
    return {
      reportId: null, datasetId: null, sql: source.sql, params: [], needs: planned.needs, mock: null,
      labels: new Map(), rowLimit: source.row_limit ?? 1000, field: 'sql',
    };
  }
  const { dataset, spec, field } = source.report_id !== undefined ? await reportSpec(ctx, source.report_id, source) : await adHocSpec(ctx, source.dataset_id!, source);
  const planned = dataset.sql ? await engine.plan(dataset.sql, field) : null;
  const compiled = compileQuery(dataset, spec, planned);
  return {
    reportId: source.report_id ?? null, datasetId: dataset.id, sql: compiled.sql, params: compiled.params, needs: compiled.needs,
    mock: compiled.needs ? null : {
      columns: dataset.columns.map((c) => ({ name: c.name, duckType: MOCK_TYPES[c.type] })),
      rows: (dataset.mock_rows ?? []).map((row) => row.map((cell, i) => mockText(cell, dataset.columns[i]!.type))),
    },
    labels: compiled.labels, rowLimit: spec.row_limit, field,
  };
}

export function executeQuery(engine: BiEngine, workspaceId: string, q: PreparedQuery, opts: Partial<RunOptions> = {}): Promise<EngineResult> {
  const run = { maxRows: q.rowLimit, field: q.field, ...opts };
  const params = q.params as never[];
  return q.mock ? engine.runMock(q.mock.columns, q.mock.rows, q.sql, params, run) : engine.run(workspaceId, q.needs!, q.sql, params, run);
}

export async function runQuery(ctx: TenantContext, engine: BiEngine, body: BodyOf<'runBiQuery'>): Promise<Schema<'BiQueryResult'>> {
  const started = performance.now();
  const createdAt = new Date();
  const prepared = await prepareQuery(ctx, engine, body);
  const result = await executeQuery(engine, ctx.workspaceId, prepared);
  return {
    id: newId(BI_IDS.query),
    report_id: prepared.reportId,
    dataset_id: prepared.datasetId,
    columns: result.columns.map((c) => ({ name: c.name, type: c.type, label: prepared.labels.get(c.name) ?? null })),
    rows: result.rows,
    row_count: result.rows.length,
    truncated: result.truncated,
    duration_ms: Math.round(performance.now() - started),
    snapshot_at: result.snapshotAt ? result.snapshotAt.toISOString() : null,
    created_at: createdAt.toISOString(),
  };
}

/** A saved report with the caller's extra filters ANDed; its dataset and metrics must not be archived. */
async function reportSpec(ctx: TenantContext, reportId: string, source: QuerySource): Promise<{ dataset: BiDataset; spec: QuerySpec; field: string }> {
  const report = await findUsable(ctx, 'report', reportId, 'report_id');
  const dataset = await findUsable(ctx, 'dataset', report.dataset_id, 'report_id');
  const metrics = await usableMetrics(ctx, report.metric_ids, dataset.id, 'report_id');
  const extra = source.filters ?? [];
  const problems = filterProblems(extra, dataset.columns, 'filters');
  if (problems.length) throw validationFailed(problems);
  const spec: QuerySpec = {
    dimensions: report.dimensions, metrics, filters: [...report.filters, ...extra], sort: report.sort,
    time_dimension: report.time_dimension ?? null, row_limit: source.row_limit ?? report.row_limit,
  };
  const broken = specProblems(dataset, { ...spec, filters: report.filters });
  if (broken.length) throw validationFailed(broken.map((p): FieldProblem => ({ field: 'report_id', problem: `the report no longer fits its dataset: ${p.field} ${p.problem}` })));
  return { dataset, spec, field: 'report_id' };
}

async function adHocSpec(ctx: TenantContext, datasetId: string, source: QuerySource): Promise<{ dataset: BiDataset; spec: QuerySpec; field: string }> {
  const dataset = await findUsable(ctx, 'dataset', datasetId, 'dataset_id');
  const metrics = await usableMetrics(ctx, source.metric_ids ?? [], dataset.id);
  const spec: QuerySpec = {
    dimensions: source.dimensions ?? [], metrics, filters: source.filters ?? [],
    sort: (source.sort ?? []).map((s) => ({ column: s.column, direction: s.direction ?? 'asc' })),
    time_dimension: source.time_dimension ?? null, row_limit: source.row_limit ?? 1000,
  };
  const problems = specProblems(dataset, spec);
  if (problems.length) throw validationFailed(problems);
  return { dataset, spec, field: 'dataset_id' };
}
