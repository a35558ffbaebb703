// The contract's BI objects, from their rows.
import type { Schema } from '../../api/operations.ts';
import { nulled } from '../../kernel/serialize.ts';
import type { BiDashboard, BiDashboardCard, BiDataset, BiMetric, BiReport } from './entities.ts';

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
