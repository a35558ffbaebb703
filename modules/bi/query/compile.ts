// A structured query (dimensions, metrics, filters, a time bucket, sort, row limit) over a
// dataset, checked against the dataset's columns and compiled to one SELECT: every identifier
// quoted, every value bound, grains and directions from fixed lists. Only a view dataset's own
// SQL (already one planned SELECT) is embedded, as DuckDB rendered it, and only the sandbox runs it.
import type { FieldProblem } from '../../../platform/errors.ts';
import type { BiColumn, BiFilter, BiTimeDimension, DatasetKind } from '../entities.ts';
import { quoteIdent } from '../engine/sql-text.ts';
import type { TableNeeds } from '../engine/snapshots.ts';
import { filterProblems, filterSql, unknownColumn } from './filters.ts';

export interface DatasetLike { id: string; kind: DatasetKind; source_table: string | null | undefined; columns: BiColumn[] }
export interface MetricLike { id: string; name: string; aggregation: string; column_name: string | null | undefined; filters: BiFilter[] }
export interface QuerySpec {
  dimensions: string[];
  metrics: MetricLike[];
  filters: BiFilter[];
  sort: { column: string; direction?: 'asc' | 'desc' }[];
  time_dimension: BiTimeDimension | null;
  row_limit: number;
}

/** A view dataset's SQL as planned: the tables and columns it reads and DuckDB's rendering of it. */
export interface PlannedSource { needs: TableNeeds; normalized: string | null }

export interface Compiled {
  sql: string;
  params: unknown[];
  /** Snapshot tables and columns to hold; null for a mock dataset (its rows are inline). */
  needs: TableNeeds | null;
  labels: ReadonlyMap<string, string | null>;
}

const GRAINS = { hour: 'hour', day: 'day', week: 'week', month: 'month', quarter: 'quarter', year: 'year' } as const;

export const bucketName = (t: BiTimeDimension) => `${t.column}_${t.grain}`;
const isAggregate = (s: QuerySpec) => s.dimensions.length > 0 || s.metrics.length > 0 || s.time_dimension !== null;

/** Every way the spec does not fit the dataset, named by request field. */
export function specProblems(dataset: DatasetLike, spec: QuerySpec): FieldProblem[] {
  const columns = dataset.columns;
  const has = (name: string) => columns.some((c) => c.name === name);
  const problems: FieldProblem[] = [];
  spec.dimensions.forEach((d, i) => { if (!has(d)) problems.push(unknownColumn(`dimensions.${i}`, d, columns)); });
  const time = spec.time_dimension;
  if (time) {
    const column = columns.find((c) => c.name === time.column);
    if (!column) problems.push(unknownColumn('time_dimension.column', time.column, columns));
    else if (column.type !== 'date' && column.type !== 'timestamp') problems.push({ field: 'time_dimension.column', problem: `must be a date or timestamp column; ${column.name} is ${column.type}` });
  }
  spec.metrics.forEach((m, i) => {
    const used = [m.column_name, ...m.filters.map((f) => f.column)].filter((c): c is string => Boolean(c));
    const missing = used.filter((c) => !has(c));
    if (missing.length) problems.push({ field: `metric_ids.${i}`, problem: `metric ${m.id} reads ${missing.join(', ')}, which the dataset does not have` });
  });
  problems.push(...filterProblems(spec.filters, columns, 'filters'));

  const outputs = outputNames(dataset, spec);
  const seen = new Set<string>();
  for (const name of outputs) {
    if (seen.has(name)) problems.push({ field: 'dimensions', problem: `two output columns would be named "${name}"` });
    seen.add(name);
  }
  spec.sort.forEach((s, i) => {
    if (!outputs.includes(s.column)) problems.push({ field: `sort.${i}.column`, problem: `"${s.column}" is not an output column (${outputs.slice(0, 30).join(', ')})` });
  });
  return problems;
}

function outputNames(dataset: DatasetLike, spec: QuerySpec): string[] {
  if (!isAggregate(spec)) return dataset.columns.map((c) => c.name);
  return [...spec.dimensions, ...(spec.time_dimension ? [bucketName(spec.time_dimension)] : []), ...spec.metrics.map((m) => m.id)];
}

/** Compiles a checked spec (specProblems returned nothing). */
export function compileQuery(dataset: DatasetLike, spec: QuerySpec, planned: PlannedSource | null): Compiled {
  const q = quoteIdent;
  const params: unknown[] = [];
  const column = (name: string) => dataset.columns.find((c) => c.name === name)!;
  const labels = new Map<string, string | null>();
  const select: string[] = [];
  const used = new Set<string>();
  const aggregate = isAggregate(spec);

  if (!aggregate) {
    for (const c of dataset.columns) { select.push(q(c.name)); labels.set(c.name, c.label); used.add(c.name); }
  }
  for (const d of spec.dimensions) { select.push(q(d)); labels.set(d, column(d).label); used.add(d); }
  const time = spec.time_dimension;
  if (time) {
    const c = column(time.column);
    const bucket = `date_trunc('${GRAINS[time.grain]}', ${q(c.name)})`;
    select.push(`${c.type === 'date' ? `CAST(${bucket} AS DATE)` : bucket} AS ${q(bucketName(time))}`);
    labels.set(bucketName(time), `${c.label ?? c.name} (${time.grain})`);
    used.add(c.name);
  }
  for (const m of spec.metrics) {
    select.push(`${metricSql(m, column, params)} AS ${q(m.id)}`);
    labels.set(m.id, m.name);
    if (m.column_name) used.add(m.column_name);
    for (const f of m.filters) used.add(f.column);
  }
  const where = spec.filters.map((f) => { used.add(f.column); return filterSql(f, column(f.column), params); });
  const keys = spec.dimensions.length + (time ? 1 : 0);
  const order = spec.sort.length
    ? spec.sort.map((s) => `${q(s.column)} ${s.direction === 'desc' ? 'DESC' : 'ASC'} NULLS LAST`)
    : Array.from({ length: keys }, (_, i) => `${i + 1} ASC NULLS LAST`);

  const { source, needs } = sourceOf(dataset, used, planned);
  const sql = [
    `WITH ds AS (${source})`,
    `SELECT ${select.join(', ')}`,
    'FROM ds',
    where.length ? `WHERE ${where.join(' AND ')}` : '',
    aggregate && keys ? `GROUP BY ${Array.from({ length: keys }, (_, i) => i + 1).join(', ')}` : '',
    order.length ? `ORDER BY ${order.join(', ')}` : '',
    `LIMIT ${Math.trunc(spec.row_limit) + 1}`,
  ].filter(Boolean).join('\n');
  return { sql, params, needs, labels };
}

function metricSql(m: MetricLike, column: (name: string) => BiColumn, params: unknown[]): string {
  const c = m.column_name ? quoteIdent(m.column_name) : null;
  const base = m.aggregation === 'count' ? (c ? `count(${c})` : 'count(*)')
    : m.aggregation === 'count_distinct' ? `count(DISTINCT ${c})`
      : `${({ sum: 'sum', avg: 'avg', min: 'min', max: 'max', median: 'median' } as Record<string, string>)[m.aggregation]}(${c})`;
  if (!m.filters.length) return base;
  return `${base} FILTER (WHERE ${m.filters.map((f) => filterSql(f, column(f.column), params)).join(' AND ')})`;
}

/** The dataset as a subquery, and the snapshot it reads. */
function sourceOf(dataset: DatasetLike, used: ReadonlySet<string>, planned: PlannedSource | null): { source: string; needs: TableNeeds | null } {
  const listed = dataset.columns.filter((c) => used.has(c.name)).map((c) => quoteIdent(c.name));
  const projection = listed.length ? listed.join(', ') : '1 AS one';
  if (dataset.kind === 'mock') return { source: `SELECT * FROM mock_rows`, needs: null };
  if (dataset.source_table) {
    return { source: `SELECT ${projection} FROM ${quoteIdent(dataset.source_table)}`, needs: new Map([[dataset.source_table, new Set(used)]]) };
  }
  // Checked when the dataset was defined; a plan without a rendering here is a defect.
  if (!planned?.normalized) throw new Error(`dataset ${dataset.id} has SQL but no rendered plan`);
  return {
    source: `SELECT ${projection} FROM (\n${planned.normalized}\n) AS source`,
    needs: planned.needs,
  };
}
