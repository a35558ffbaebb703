// BI objects: datasets → metrics → reports → dashboards (cards place reports on a 12-column grid).
import { defineEntity, type InferEntity } from '@mikro-orm/postgresql';
import type { Schema } from '../../api/operations.ts';

export const OBJECT_STATUSES = ['draft', 'active', 'archived'] as const;
export const DATASET_KINDS = ['mock', 'table', 'view', 'semantic'] as const;
export const AGGREGATIONS = ['count', 'count_distinct', 'sum', 'avg', 'min', 'max', 'median'] as const;
export const METRIC_FORMATS = ['number', 'currency_cents', 'percent', 'duration_seconds'] as const;
export const VISUALIZATIONS = ['table', 'number', 'bar', 'line', 'area', 'pie', 'scatter', 'funnel'] as const;

export type ObjectStatus = typeof OBJECT_STATUSES[number];
export type DatasetKind = typeof DATASET_KINDS[number];
export type Aggregation = typeof AGGREGATIONS[number];
export type BiColumn = Schema<'BiColumn'>;
export type BiType = BiColumn['type'];
export type BiFilter = Schema<'BiFilterInput'>;
export type BiSort = Schema<'BiSort'>;
export type BiTimeDimension = Schema<'BiTimeDimension'>;
/** A mock dataset's cell: a scalar, or a small JSON value for a json column. */
export type MockCell = string | number | boolean | null | Record<string, unknown> | unknown[];

export const BiDatasetSchema = defineEntity({
  name: 'BiDataset',
  tableName: 'bi_datasets',
  properties: (p) => ({
    id: p.text().primary(),
    workspace_id: p.text(),
    name: p.text(),
    description: p.text().nullable(),
    kind: p.enum([...DATASET_KINDS]),
    status: p.enum([...OBJECT_STATUSES]),
    /** A catalog table (kinds table and semantic over a table). */
    source_table: p.text().nullable(),
    /** One read-only SELECT over catalog tables (kinds view and semantic over SQL); runs only in the sandbox. */
    sql: p.text().nullable(),
    /** Output columns with their BI types: planned in DuckDB for table/view/semantic, declared for mock. */
    columns: p.json<BiColumn[]>(),
    mock_rows: p.json<MockCell[][]>().nullable(),
    created_at: p.datetime().onCreate(() => new Date()),
    updated_at: p.datetime().onCreate(() => new Date()),
    archived_at: p.datetime().nullable(),
  }),
});
export type BiDataset = InferEntity<typeof BiDatasetSchema>;

export const BiMetricSchema = defineEntity({
  name: 'BiMetric',
  tableName: 'bi_metrics',
  properties: (p) => ({
    id: p.text().primary(),
    workspace_id: p.text(),
    dataset_id: p.text(),
    name: p.text(),
    description: p.text().nullable(),
    aggregation: p.enum([...AGGREGATIONS]),
    /** The aggregated column (`column` in the contract); null for count. */
    column_name: p.text().nullable(),
    /** Applied before aggregating (SQL `FILTER (WHERE ...)`), so metrics with different filters share a query. */
    filters: p.json<BiFilter[]>(),
    time_column: p.text().nullable(),
    format: p.enum([...METRIC_FORMATS]),
    status: p.enum([...OBJECT_STATUSES]),
    created_at: p.datetime().onCreate(() => new Date()),
    updated_at: p.datetime().onCreate(() => new Date()),
    archived_at: p.datetime().nullable(),
  }),
});
export type BiMetric = InferEntity<typeof BiMetricSchema>;

export const BiReportSchema = defineEntity({
  name: 'BiReport',
  tableName: 'bi_reports',
  properties: (p) => ({
    id: p.text().primary(),
    workspace_id: p.text(),
    dataset_id: p.text(),
    name: p.text(),
    description: p.text().nullable(),
    status: p.enum([...OBJECT_STATUSES]),
    visualization: p.enum([...VISUALIZATIONS]),
    dimensions: p.json<string[]>(),
    metric_ids: p.json<string[]>(),
    filters: p.json<BiFilter[]>(),
    sort: p.json<BiSort[]>(),
    time_dimension: p.json<BiTimeDimension>().nullable(),
    row_limit: p.integer(),
    created_at: p.datetime().onCreate(() => new Date()),
    updated_at: p.datetime().onCreate(() => new Date()),
    archived_at: p.datetime().nullable(),
  }),
});
export type BiReport = InferEntity<typeof BiReportSchema>;

export const BiDashboardSchema = defineEntity({
  name: 'BiDashboard',
  tableName: 'bi_dashboards',
  properties: (p) => ({
    id: p.text().primary(),
    workspace_id: p.text(),
    name: p.text(),
    description: p.text().nullable(),
    status: p.enum([...OBJECT_STATUSES]),
    created_at: p.datetime().onCreate(() => new Date()),
    updated_at: p.datetime().onCreate(() => new Date()),
    archived_at: p.datetime().nullable(),
  }),
});
export type BiDashboard = InferEntity<typeof BiDashboardSchema>;

/** A report placed on a dashboard: its own row, so a report knows its dashboards and lists filter by them. */
export const BiDashboardCardSchema = defineEntity({
  name: 'BiDashboardCard',
  tableName: 'bi_dashboard_cards',
  properties: (p) => ({
    id: p.text().primary(),
    workspace_id: p.text(),
    dashboard_id: p.text(),
    report_id: p.text(),
    title: p.text().nullable(),
    x: p.integer(),
    y: p.integer(),
    width: p.integer(),
    height: p.integer(),
    created_at: p.datetime().onCreate(() => new Date()),
  }),
});
export type BiDashboardCard = InferEntity<typeof BiDashboardCardSchema>;

export const EXPORT_FORMATS = ['csv', 'xlsx', 'json', 'parquet'] as const;
export const EXPORT_STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const;
export const SCHEDULE_STATUSES = ['active', 'paused', 'archived'] as const;
export type ExportFormat = typeof EXPORT_FORMATS[number];
export type ExportStatus = typeof EXPORT_STATUSES[number];
export type ScheduleStatus = typeof SCHEDULE_STATUSES[number];
export interface ExportError { code: string; message: string }

/** One export job: its source, its progress and, once succeeded, the file it stored in S3. */
export const BiExportSchema = defineEntity({
  name: 'BiExport',
  tableName: 'bi_exports',
  properties: (p) => ({
    id: p.text().primary(),
    workspace_id: p.text(),
    status: p.enum([...EXPORT_STATUSES]),
    progress: p.integer(),
    format: p.enum([...EXPORT_FORMATS]),
    report_id: p.text().nullable(),
    dataset_id: p.text().nullable(),
    sql: p.text().nullable(),
    filters: p.json<BiFilter[]>(),
    row_limit: p.integer(),
    file_name: p.text(),
    /** Rows the query answers (up to row_limit), counted before streaming: what progress is measured against. */
    planned_rows: p.integer().nullable(),
    row_count: p.integer().nullable(),
    byte_size: p.bigint('number').nullable(),
    sha256: p.text().nullable(),
    /** Where the file is in the bucket (ids only, never the file name). */
    object_key: p.text(),
    error: p.json<ExportError>().nullable(),
    workflow_id: p.text(),
    scheduled_artifact_id: p.text().nullable(),
    /** The scheduled run (its workflow id) that produced it: one export per run, however often the step retries. */
    schedule_run: p.text().nullable(),
    started_at: p.datetime().nullable(),
    completed_at: p.datetime().nullable(),
    expires_at: p.datetime().nullable(),
    /** When the expiry timer deleted the object. */
    file_deleted_at: p.datetime().nullable(),
    created_at: p.datetime().onCreate(() => new Date()),
    updated_at: p.datetime().onCreate(() => new Date()),
  }),
});
export type BiExport = InferEntity<typeof BiExportSchema>;

/** A Temporal Schedule (`bi-artifact-<id>`) that exports a report or dataset and mails it (with a dashboard's page link when it subscribes to one). */
export const BiScheduledArtifactSchema = defineEntity({
  name: 'BiScheduledArtifact',
  tableName: 'bi_scheduled_artifacts',
  properties: (p) => ({
    id: p.text().primary(),
    workspace_id: p.text(),
    name: p.text(),
    description: p.text().nullable(),
    status: p.enum([...SCHEDULE_STATUSES]),
    report_id: p.text().nullable(),
    dataset_id: p.text().nullable(),
    dashboard_id: p.text().nullable(),
    format: p.enum([...EXPORT_FORMATS]),
    cron: p.text(),
    timezone: p.text(),
    recipients: p.json<string[]>(),
    subject: p.text().nullable(),
    message: p.text().nullable(),
    last_export_id: p.text().nullable(),
    created_at: p.datetime().onCreate(() => new Date()),
    updated_at: p.datetime().onCreate(() => new Date()),
    archived_at: p.datetime().nullable(),
  }),
});
export type BiScheduledArtifact = InferEntity<typeof BiScheduledArtifactSchema>;
