// runBiQuery: one source (a saved report, an ad-hoc question over a dataset, or SQL) answered by
// DuckDB over the workspace's snapshot, in a sandbox, within the row limit and the timeout.
import { newId } from '../../../platform/ids.ts';
import { validationFailed, type FieldProblem } from '../../../platform/errors.ts';
import type { TenantContext } from '../../../kernel/tenant.ts';
import type { BodyOf, Schema } from '../../../api/operations.ts';
import type { BiEngine, EngineResult } from '../engine/engine.ts';
import { BI_IDS } from '../ids.ts';
import type { BiDataset } from '../entities.ts';
import { findUsable } from '../objects/references.ts';
import { usableMetrics } from '../objects/metrics.ts';
import { MOCK_TYPES, mockText } from '../objects/dataset-definition.ts';
import { compileQuery, specProblems, type QuerySpec } from './compile.ts';
import { filterProblems } from './filters.ts';

type Body = BodyOf<'runBiQuery'>;

export async function runQuery(ctx: TenantContext, engine: BiEngine, body: Body): Promise<Schema<'BiQueryResult'>> {
  const started = performance.now();
  const createdAt = new Date();
  const rowLimit = body.row_limit ?? 1000;
  let result: EngineResult;
  let labels: ReadonlyMap<string, string | null> = new Map();
  let reportId: string | null = null;
  let datasetId: string | null = null;

  if (body.sql !== undefined) {
    const planned = await engine.plan(body.sql, 'sql');
    result = await engine.run(ctx.workspaceId, new Map(planned.tables.map((t) => [t, null])), body.sql, [], { maxRows: rowLimit, field: 'sql' });
  } else {
    const { dataset, spec, field } = body.report_id !== undefined ? await reportSpec(ctx, body.report_id, body) : await adHocSpec(ctx, body.dataset_id!, body);
    reportId = body.report_id ?? null;
    datasetId = dataset.id;
    const planned = dataset.sql ? await engine.plan(dataset.sql, field) : null;
    const compiled = compileQuery(dataset, spec, planned);
    labels = compiled.labels;
    const opts = { maxRows: spec.row_limit, field };
    result = compiled.needs
      ? await engine.run(ctx.workspaceId, compiled.needs, compiled.sql, compiled.params as never[], opts)
      : await engine.runMock(
        dataset.columns.map((c) => ({ name: c.name, duckType: MOCK_TYPES[c.type] })),
        (dataset.mock_rows ?? []).map((row) => row.map((cell, i) => mockText(cell, dataset.columns[i]!.type))),
        compiled.sql, compiled.params as never[], opts);
  }

  return {
    id: newId(BI_IDS.query),
    report_id: reportId,
    dataset_id: datasetId,
    columns: result.columns.map((c) => ({ name: c.name, type: c.type, label: labels.get(c.name) ?? null })),
    rows: result.rows,
    row_count: result.rows.length,
    truncated: result.truncated,
    duration_ms: Math.round(performance.now() - started),
    snapshot_at: result.snapshotAt ? result.snapshotAt.toISOString() : null,
    created_at: createdAt.toISOString(),
  };
}

/** A saved report with the caller's extra filters ANDed; its dataset and metrics must not be archived. */
async function reportSpec(ctx: TenantContext, reportId: string, body: Body): Promise<{ dataset: BiDataset; spec: QuerySpec; field: string }> {
  const report = await findUsable(ctx, 'report', reportId, 'report_id');
  const dataset = await findUsable(ctx, 'dataset', report.dataset_id, 'report_id');
  const metrics = await usableMetrics(ctx, report.metric_ids, dataset.id, 'report_id');
  const extra = body.filters ?? [];
  const problems = filterProblems(extra, dataset.columns, 'filters');
  if (problems.length) throw validationFailed(problems);
  const spec: QuerySpec = {
    dimensions: report.dimensions, metrics, filters: [...report.filters, ...extra], sort: report.sort,
    time_dimension: report.time_dimension ?? null, row_limit: body.row_limit ?? report.row_limit,
  };
  const broken = specProblems(dataset, { ...spec, filters: report.filters });
  if (broken.length) throw validationFailed(broken.map((p): FieldProblem => ({ field: 'report_id', problem: `the report no longer fits its dataset: ${p.field} ${p.problem}` })));
  return { dataset, spec, field: 'report_id' };
}

async function adHocSpec(ctx: TenantContext, datasetId: string, body: Body): Promise<{ dataset: BiDataset; spec: QuerySpec; field: string }> {
  const dataset = await findUsable(ctx, 'dataset', datasetId, 'dataset_id');
  const metrics = await usableMetrics(ctx, body.metric_ids ?? [], dataset.id);
  const spec: QuerySpec = {
    dimensions: body.dimensions ?? [], metrics, filters: body.filters ?? [],
    sort: (body.sort ?? []).map((s) => ({ column: s.column, direction: s.direction ?? 'asc' })),
    time_dimension: body.time_dimension ?? null, row_limit: body.row_limit ?? 1000,
  };
  const problems = specProblems(dataset, spec);
  if (problems.length) throw validationFailed(problems);
  return { dataset, spec, field: 'dataset_id' };
}
