// Datasets: created and redefined only once DuckDB has planned them against the catalog.
import type { FilterQuery } from '@mikro-orm/postgresql';
import { newId } from '../../../platform/ids.ts';
import { ruleViolation, validationFailed, type FieldProblem } from '../../../platform/errors.ts';
import type { TenantContext } from '../../../kernel/tenant.ts';
import { insertCreated } from '../../../kernel/outbox.ts';
import { findPage, type Page } from '../../../kernel/pagination.ts';
import { searchFilter, statusFilter } from './list-filters.ts';
import type { BodyOf, QueryOf } from '../../../api/operations.ts';
import type { BiEngine } from '../engine/engine.ts';
import { BI_IDS } from '../ids.ts';
import { BiDatasetSchema, BiMetricSchema, BiReportSchema, type BiColumn, type BiDataset, type DatasetKind } from '../entities.ts';
import { serializeDataset } from '../serializers.ts';
import { defineDataset, type DatasetDefinition } from './dataset-definition.ts';
import { aggregationMisfit } from './metrics.ts';

export async function createDataset(ctx: TenantContext, engine: BiEngine, input: BodyOf<'createBiDataset'>): Promise<BiDataset> {
  const defined = await defineDataset(engine, input);
  const now = new Date();
  const dataset = ctx.em.create(BiDatasetSchema, {
    id: newId(BI_IDS.dataset), workspace_id: ctx.workspaceId, name: input.name, description: input.description ?? null,
    kind: input.kind, status: input.status ?? 'active', ...defined, created_at: now, updated_at: now, archived_at: null,
  });
  return insertCreated(ctx, 'bi_dataset', dataset, serializeDataset(dataset));
}

export function listDatasets(ctx: TenantContext, filters: QueryOf<'listBiDatasets'>): Promise<Page<BiDataset>> {
  const where: Record<string, unknown> = { ...statusFilter(filters.status), ...searchFilter(filters.query) };
  if (filters.kind) where.kind = filters.kind;
  return findPage(ctx, BiDatasetSchema, 'bi_datasets', where as FilterQuery<BiDataset>, filters);
}


/** Which definition fields each kind takes on update. */
const DEFINITION_FIELDS: Record<DatasetKind, readonly string[]> = {
  table: ['source_table', 'columns'],
  view: ['sql', 'columns'],
  semantic: ['source_table', 'sql', 'columns'],
  mock: ['columns', 'mock_rows'],
};

/**
 * A new definition (updateBiObject): planned like on create, and refused when it would take away
 * a column an active metric or report of the dataset uses.
 */
export async function redefineDataset(ctx: TenantContext, engine: BiEngine, dataset: BiDataset, patch: BodyOf<'updateBiObject'>): Promise<boolean> {
  const fields = (['source_table', 'sql', 'columns', 'mock_rows'] as const).filter((f) => patch[f] !== undefined);
  if (!fields.length) return false;
  const refused = fields.filter((f) => !DEFINITION_FIELDS[dataset.kind].includes(f));
  if (refused.length) throw validationFailed(refused.map((f) => ({ field: f, problem: `does not apply to a ${dataset.kind} dataset (it takes ${DEFINITION_FIELDS[dataset.kind].join(', ')})` })));
  const def: DatasetDefinition = {
    kind: dataset.kind,
    source_table: patch.source_table ?? (patch.sql !== undefined ? null : dataset.source_table),
    sql: patch.sql ?? (patch.source_table !== undefined ? null : dataset.sql),
    // Without new columns, a table or view keeps its labels; a semantic or mock dataset its column list.
    columns: patch.columns ?? dataset.columns.filter((c) => dataset.kind === 'semantic' || dataset.kind === 'mock' || c.label !== null || c.description !== null)
      .map((c) => ({ name: c.name, ...(dataset.kind === 'mock' ? { type: c.type } : {}), ...(c.label !== null ? { label: c.label } : {}), ...(c.description !== null ? { description: c.description } : {}) })),
    mock_rows: patch.mock_rows ?? dataset.mock_rows,
  };
  const defined = await defineDataset(engine, def);
  await assertDependentsFit(ctx, dataset.id, defined.columns, fields[0]!);
  ctx.em.assign(dataset, defined);
  return true;
}

/** Active metrics and reports of the dataset must still find their columns, with fitting types. */
async function assertDependentsFit(ctx: TenantContext, datasetId: string, columns: BiColumn[], field: string): Promise<void> {
  const scope = { workspace_id: ctx.workspaceId, dataset_id: datasetId, status: { $ne: 'archived' as const } };
  const [metrics, reports] = await Promise.all([ctx.em.find(BiMetricSchema, scope), ctx.em.find(BiReportSchema, scope)]);
  const type = (name: string) => columns.find((c) => c.name === name)?.type;
  const broken: FieldProblem[] = [];
  for (const m of metrics) {
    const missing = [m.column_name, m.time_column, ...m.filters.map((f) => f.column)].filter((c): c is string => Boolean(c) && !type(c!));
    if (missing.length) broken.push({ field, problem: `metric ${m.id} uses ${missing.join(', ')}` });
    else if (m.column_name && aggregationMisfit(m.aggregation, type(m.column_name)!)) broken.push({ field, problem: `metric ${m.id} aggregates ${m.column_name} with ${m.aggregation}, which no longer fits its type ${type(m.column_name)}` });
  }
  for (const r of reports) {
    const missing = [...r.dimensions, r.time_dimension?.column, ...r.filters.map((f) => f.column)].filter((c): c is string => Boolean(c) && !type(c!));
    if (missing.length) broken.push({ field, problem: `report ${r.id} uses ${missing.join(', ')}` });
  }
  if (broken.length) {
    throw ruleViolation(field, `The new definition drops or retypes columns that active metrics or reports use: ${broken.map((b) => b.problem).join('; ')}. Archive or change them first.`,
      { dependents: broken.map((b) => b.problem) });
  }
}

