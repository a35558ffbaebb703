// The contract's BI objects, from their rows.
import type { Schema } from '../../api/operations.ts';
import { nulled } from '../../kernel/serialize.ts';
import type { BiDashboard, BiDashboardCard, BiDataset, BiExport, BiMetric, BiReport, BiScheduledArtifact } from './entities.ts';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export const serializeDataset = (d: BiDataset): Schema<'BiDataset'> => nulled({
  id: d.id,
  name: d.name,
  description: d.description,
  kind: d.kind,
  status: d.status,
  source_table: d.source_table,
  sql: d.sql,
  columns: d.columns,
  mock_rows: d.kind === 'mock' ? d.mock_rows : null,
  created_at: d.created_at.toISOString(),
  updated_at: d.updated_at.toISOString(),
  archived_at: iso(d.archived_at),
});

export const serializeMetric = (m: BiMetric): Schema<'BiMetric'> => nulled({
  id: m.id,
  name: m.name,
  description: m.description,
  dataset_id: m.dataset_id,
  aggregation: m.aggregation,
  column: m.column_name,
  filters: m.filters,
  time_column: m.time_column,
  format: m.format,
  status: m.status,
  created_at: m.created_at.toISOString(),
  updated_at: m.updated_at.toISOString(),
  archived_at: iso(m.archived_at),
});

/** A report with the dashboards it is placed on (derived from their cards). */
export interface ReportView { report: BiReport; dashboardIds: string[] }

export const serializeReport = ({ report: r, dashboardIds }: ReportView): Schema<'BiReport'> => nulled({
  id: r.id,
  name: r.name,
  description: r.description,
  status: r.status,
  dataset_id: r.dataset_id,
  visualization: r.visualization,
  dimensions: r.dimensions,
  metric_ids: r.metric_ids,
  filters: r.filters,
  sort: r.sort,
  time_dimension: r.time_dimension,
  row_limit: r.row_limit,
  dashboard_ids: dashboardIds,
  created_at: r.created_at.toISOString(),
  updated_at: r.updated_at.toISOString(),
  archived_at: iso(r.archived_at),
});

/** A dashboard with its cards, top to bottom, left to right. */
export interface DashboardView { dashboard: BiDashboard; cards: BiDashboardCard[] }

export const serializeDashboard = ({ dashboard: d, cards }: DashboardView): Schema<'BiDashboard'> => nulled({
  id: d.id,
  name: d.name,
  description: d.description,
  status: d.status,
  cards: cards.map((c) => nulled({ id: c.id, report_id: c.report_id, title: c.title, x: c.x, y: c.y, width: c.width, height: c.height })),
  created_at: d.created_at.toISOString(),
  updated_at: d.updated_at.toISOString(),
  archived_at: iso(d.archived_at),
});

/** An export with the download link made for this read (null unless succeeded and kept). */
export interface ExportView { row: BiExport; download: { url: string; expiresAt: Date } | null }

export const serializeExport = ({ row: e, download }: ExportView): Schema<'BiExport'> => nulled({
  id: e.id,
  status: e.status,
  progress: e.progress,
  format: e.format,
  report_id: e.report_id,
  dataset_id: e.dataset_id,
  sql: e.sql,
  filters: e.filters,
  file_name: e.file_name,
  row_count: e.row_count,
  byte_size: e.byte_size,
  sha256: e.sha256,
  download_url: download?.url ?? null,
  download_expires_at: iso(download?.expiresAt),
  expires_at: iso(e.expires_at),
  error: e.error,
  workflow_id: e.workflow_id,
  scheduled_artifact_id: e.scheduled_artifact_id,
  started_at: iso(e.started_at),
  completed_at: iso(e.completed_at),
  created_at: e.created_at.toISOString(),
  updated_at: e.updated_at.toISOString(),
});

/** A scheduled artifact with its run times as Temporal has them. */
export interface ArtifactView { row: BiScheduledArtifact; nextRunAt: Date | null; lastRunAt: Date | null }

export const serializeArtifact = ({ row: a, nextRunAt, lastRunAt }: ArtifactView): Schema<'BiScheduledArtifact'> => nulled({
  id: a.id,
  name: a.name,
  description: a.description,
  status: a.status,
  report_id: a.report_id,
  dataset_id: a.dataset_id,
  dashboard_id: a.dashboard_id,
  format: a.format,
  cron: a.cron,
  timezone: a.timezone,
  recipients: a.recipients,
  subject: a.subject,
  message: a.message,
  next_run_at: iso(nextRunAt),
  last_run_at: iso(lastRunAt),
  last_export_id: a.last_export_id,
  schedule_id: `bi-artifact-${a.id}`,
  created_at: a.created_at.toISOString(),
  updated_at: a.updated_at.toISOString(),
  archived_at: iso(a.archived_at),
});
