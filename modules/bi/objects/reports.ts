// Reports: saved structured questions over a dataset, optionally placed on a dashboard.
import type { FilterQuery } from '@mikro-orm/postgresql';
import { newId } from '../../../platform/ids.ts';
import { validationFailed } from '../../../platform/errors.ts';
import type { TenantContext } from '../../../kernel/tenant.ts';
import { insertCreated } from '../../../kernel/outbox.ts';
import { findPage, type Page } from '../../../kernel/pagination.ts';
import type { BodyOf, QueryOf } from '../../../api/operations.ts';
import { BI_IDS } from '../ids.ts';
import { BiDashboardCardSchema, BiReportSchema, type BiReport } from '../entities.ts';
import { serializeReport, type ReportView } from '../serializers.ts';
import { specProblems } from '../query/compile.ts';
import { findUsable } from './references.ts';
import { usableMetrics } from './metrics.ts';
import { appendCard } from './dashboards.ts';
import { searchFilter, statusFilter } from './list-filters.ts';

export async function createReport(ctx: TenantContext, input: BodyOf<'createBiReport'>): Promise<ReportView> {
  const dataset = await findUsable(ctx, 'dataset', input.dataset_id, 'dataset_id');
  const metrics = await usableMetrics(ctx, input.metric_ids ?? [], dataset.id);
  const sort = (input.sort ?? []).map((s) => ({ column: s.column, direction: s.direction ?? 'asc' as const }));
  const spec = {
    dimensions: input.dimensions ?? [], metrics, filters: input.filters ?? [], sort,
    time_dimension: input.time_dimension ?? null, row_limit: input.row_limit ?? 1000,
  };
  const problems = specProblems(dataset, spec);
  if (problems.length) throw validationFailed(problems);
  // Locked, so two reports added at once do not land on the same free row.
  const dashboard = input.dashboard_id ? await findUsable(ctx, 'dashboard', input.dashboard_id, 'dashboard_id', { lock: true }) : null;

  const now = new Date();
  const report = ctx.em.create(BiReportSchema, {
    id: newId(BI_IDS.report), workspace_id: ctx.workspaceId, dataset_id: dataset.id, name: input.name, description: input.description ?? null,
    status: input.status ?? 'active', visualization: input.visualization ?? 'table', dimensions: spec.dimensions,
    metric_ids: metrics.map((m) => m.id), filters: spec.filters, sort, time_dimension: spec.time_dimension, row_limit: spec.row_limit,
    created_at: now, updated_at: now, archived_at: null,
  });
  const view = { report, dashboardIds: dashboard ? [dashboard.id] : [] };
  await insertCreated(ctx, 'bi_report', report, serializeReport(view));
  if (dashboard) await appendCard(ctx, dashboard, report.id);
  return view;
}

export async function dashboardIdsOf(ctx: TenantContext, reportIds: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>(reportIds.map((id) => [id, []]));
  if (!reportIds.length) return out;
  const cards = await ctx.em.find(BiDashboardCardSchema, { workspace_id: ctx.workspaceId, report_id: { $in: [...reportIds] } }, { orderBy: { dashboard_id: 'asc' } });
  for (const c of cards) {
    const ids = out.get(c.report_id)!;
    if (!ids.includes(c.dashboard_id)) ids.push(c.dashboard_id);
  }
  return out;
}

export async function reportView(ctx: TenantContext, report: BiReport): Promise<ReportView> {
  return { report, dashboardIds: (await dashboardIdsOf(ctx, [report.id])).get(report.id)! };
}

export async function listReports(ctx: TenantContext, filters: QueryOf<'listBiReports'>): Promise<Page<ReportView>> {
  const where: Record<string, unknown> = { ...statusFilter(filters.status), ...searchFilter(filters.query) };
  if (filters.dataset_id) where.dataset_id = filters.dataset_id;
  if (filters.dashboard_id) {
    const cards = await ctx.em.find(BiDashboardCardSchema, { workspace_id: ctx.workspaceId, dashboard_id: filters.dashboard_id });
    where.id = { $in: [...new Set(cards.map((c) => c.report_id))] };
  }
  const page = await findPage(ctx, BiReportSchema, 'bi_reports', where as FilterQuery<BiReport>, filters);
  const dashboards = await dashboardIdsOf(ctx, page.items.map((r) => r.id));
  return { items: page.items.map((report) => ({ report, dashboardIds: dashboards.get(report.id)! })), next_cursor: page.next_cursor };
}
