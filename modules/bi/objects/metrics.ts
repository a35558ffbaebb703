// Metrics: one aggregation of a dataset column (or rows), with its own filters.
import type { FilterQuery } from '@mikro-orm/postgresql';
import { newId } from '../../../platform/ids.ts';
import { notFound, resourceArchived, validationFailed, type FieldProblem } from '../../../platform/errors.ts';
import type { TenantContext } from '../../../kernel/tenant.ts';
import { insertCreated } from '../../../kernel/outbox.ts';
import { findPage, type Page } from '../../../kernel/pagination.ts';
import type { BodyOf, QueryOf } from '../../../api/operations.ts';
import { BI_IDS } from '../ids.ts';
import { BiMetricSchema, type Aggregation, type BiMetric, type BiType } from '../entities.ts';
import { serializeMetric } from '../serializers.ts';
import { filterProblems, unknownColumn } from '../query/filters.ts';
import { findUsable } from './references.ts';
import { searchFilter, statusFilter } from './list-filters.ts';

/** Why an aggregation does not apply to a column type (null: it does). */
export function aggregationMisfit(aggregation: Aggregation, type: BiType): string | null {
  if (['sum', 'avg', 'median'].includes(aggregation) && type !== 'integer' && type !== 'number') return `${aggregation} needs a numeric column; this one is ${type}`;
  if (['min', 'max'].includes(aggregation) && type === 'json') return `${aggregation} does not apply to a json column`;
  return null;
}

export async function createMetric(ctx: TenantContext, input: BodyOf<'createBiMetric'>): Promise<BiMetric> {
  const dataset = await findUsable(ctx, 'dataset', input.dataset_id, 'dataset_id');
  const columns = dataset.columns;
  const problems: FieldProblem[] = [];
  if (input.column) {
    const column = columns.find((c) => c.name === input.column);
    if (!column) problems.push(unknownColumn('column', input.column, columns));
    else {
      const why = aggregationMisfit(input.aggregation, column.type);
      if (why) problems.push({ field: 'aggregation', problem: why });
    }
  }
  if (input.time_column) {
    const column = columns.find((c) => c.name === input.time_column);
    if (!column) problems.push(unknownColumn('time_column', input.time_column, columns));
    else if (column.type !== 'date' && column.type !== 'timestamp') problems.push({ field: 'time_column', problem: `must be a date or timestamp column; ${column.name} is ${column.type}` });
  }
  problems.push(...filterProblems(input.filters ?? [], columns, 'filters'));
  if (problems.length) throw validationFailed(problems);

  const now = new Date();
  const metric = ctx.em.create(BiMetricSchema, {
    id: newId(BI_IDS.metric), workspace_id: ctx.workspaceId, dataset_id: dataset.id, name: input.name, description: input.description ?? null,
    aggregation: input.aggregation, column_name: input.column ?? null, filters: input.filters ?? [], time_column: input.time_column ?? null,
    format: input.format ?? 'number', status: input.status ?? 'active', created_at: now, updated_at: now, archived_at: null,
  });
  return insertCreated(ctx, 'bi_metric', metric, serializeMetric(metric));
}

export function listMetrics(ctx: TenantContext, filters: QueryOf<'listBiMetrics'>): Promise<Page<BiMetric>> {
  const where: Record<string, unknown> = { ...statusFilter(filters.status), ...searchFilter(filters.query) };
  if (filters.dataset_id) where.dataset_id = filters.dataset_id;
  return findPage(ctx, BiMetricSchema, 'bi_metrics', where as FilterQuery<BiMetric>, filters);
}

/** The metrics a report or query names, in order: each must exist, be usable and belong to the dataset. */
export async function usableMetrics(ctx: TenantContext, ids: readonly string[], datasetId: string, field = 'metric_ids'): Promise<BiMetric[]> {
  if (!ids.length) return [];
  // One read for all of them; the rules (404, 409, dataset) then apply in order.
  const found = await ctx.em.find(BiMetricSchema, { workspace_id: ctx.workspaceId, id: { $in: [...ids] } });
  const problems: FieldProblem[] = [];
  const metrics = ids.map((id, i) => {
    const metric = found.find((m) => m.id === id);
    if (!metric) throw notFound('metric', id);
    if (metric.status === 'archived') throw resourceArchived('metric', id, `${field}.${i}`);
    if (metric.dataset_id !== datasetId) problems.push({ field: `${field}.${i}`, problem: `metric ${id} belongs to dataset ${metric.dataset_id}, not ${datasetId}` });
    return metric;
  });
  if (problems.length) throw validationFailed(problems);
  return metrics;
}
