// Dashboards: reports placed as cards on a 12-column grid, without overlaps.
import type { FilterQuery } from '@mikro-orm/postgresql';
import { newId } from '../../../platform/ids.ts';
import { validationFailed, type FieldProblem } from '../../../platform/errors.ts';
import type { TenantContext } from '../../../kernel/tenant.ts';
import { insertCreated, recordEvent } from '../../../kernel/outbox.ts';
import { findPage, type Page } from '../../../kernel/pagination.ts';
import type { BodyOf, QueryOf, Schema } from '../../../api/operations.ts';
import { BI_IDS } from '../ids.ts';
import { BiDashboardCardSchema, BiDashboardSchema, type BiDashboard, type BiDashboardCard } from '../entities.ts';
import { serializeDashboard, type DashboardView } from '../serializers.ts';
import { findUsable } from './references.ts';
import { searchFilter, statusFilter } from './list-filters.ts';

const GRID_COLUMNS = 12;
export const NEW_CARD = { x: 0, width: 6, height: 4 } as const;

export async function createDashboard(ctx: TenantContext, input: BodyOf<'createBiDashboard'>): Promise<DashboardView> {
  const now = new Date();
  const dashboard = ctx.em.create(BiDashboardSchema, {
    id: newId(BI_IDS.dashboard), workspace_id: ctx.workspaceId, name: input.name, description: input.description ?? null,
    status: input.status ?? 'active', created_at: now, updated_at: now, archived_at: null,
  });
  // The dashboard row goes first: its cards reference it.
  await ctx.em.persist(dashboard).flush();
  const cards = await layCards(ctx, dashboard.id, input.cards ?? [], 'cards');
  await insertCreated(ctx, 'bi_dashboard', dashboard, serializeDashboard({ dashboard, cards }));
  return { dashboard, cards };
}

/** Replaces a dashboard's layout (updateBiObject `cards`). */
export async function relayDashboard(ctx: TenantContext, dashboard: BiDashboard, inputs: Schema<'BiDashboardCardInput'>[]): Promise<void> {
  const old = await ctx.em.find(BiDashboardCardSchema, { workspace_id: ctx.workspaceId, dashboard_id: dashboard.id });
  for (const card of old) ctx.em.remove(card);
  await ctx.em.flush();
  await layCards(ctx, dashboard.id, inputs, 'cards');
}

/** Cards for the inputs: each report usable, x + width within the grid, no two overlapping; y defaults to below the others. */
async function layCards(ctx: TenantContext, dashboardId: string, inputs: Schema<'BiDashboardCardInput'>[], field: string): Promise<BiDashboardCard[]> {
  const problems: FieldProblem[] = [];
  const cards: BiDashboardCard[] = [];
  for (const [i, input] of inputs.entries()) {
    await findUsable(ctx, 'report', input.report_id, `${field}.${i}.report_id`);
    const x = input.x ?? NEW_CARD.x;
    const width = input.width ?? NEW_CARD.width;
    const height = input.height ?? NEW_CARD.height;
    const y = input.y ?? bottom(cards);
    if (x + width > GRID_COLUMNS) { problems.push({ field: `${field}.${i}.width`, problem: `x + width must be at most ${GRID_COLUMNS} (got ${x} + ${width})` }); continue; }
    const card = ctx.em.create(BiDashboardCardSchema, {
      id: newId(BI_IDS.card), workspace_id: ctx.workspaceId, dashboard_id: dashboardId, report_id: input.report_id,
      title: input.title ?? null, x, y, width, height, created_at: new Date(),
    });
    const hit = cards.findIndex((other) => overlaps(card, other));
    if (hit >= 0) problems.push({ field: `${field}.${i}`, problem: `overlaps card ${hit} (x ${x}..${x + width - 1}, y ${y}..${y + height - 1})` });
    cards.push(card);
  }
  if (problems.length) throw validationFailed(problems);
  for (const card of cards) ctx.em.persist(card);
  await ctx.em.flush();
  return sortCards(cards);
}

/** The first free row below every card. */
export const bottom = (cards: readonly BiDashboardCard[]) => Math.max(0, ...cards.map((c) => c.y + c.height));

const overlaps = (a: BiDashboardCard, b: BiDashboardCard) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

const sortCards = (cards: BiDashboardCard[]) => [...cards].sort((a, b) => a.y - b.y || a.x - b.x || a.id.localeCompare(b.id));

export async function cardsOf(ctx: TenantContext, dashboardIds: readonly string[]): Promise<Map<string, BiDashboardCard[]>> {
  const cards = dashboardIds.length ? await ctx.em.find(BiDashboardCardSchema, { workspace_id: ctx.workspaceId, dashboard_id: { $in: [...dashboardIds] } }) : [];
  const out = new Map<string, BiDashboardCard[]>(dashboardIds.map((id) => [id, []]));
  for (const c of cards) out.get(c.dashboard_id)?.push(c);
  for (const [id, list] of out) out.set(id, sortCards(list));
  return out;
}

export async function dashboardView(ctx: TenantContext, dashboard: BiDashboard): Promise<DashboardView> {
  return { dashboard, cards: (await cardsOf(ctx, [dashboard.id])).get(dashboard.id)! };
}

export async function listDashboards(ctx: TenantContext, filters: QueryOf<'listBiDashboards'>): Promise<Page<DashboardView>> {
  const where = { ...statusFilter(filters.status), ...searchFilter(filters.query) };
  const page = await findPage(ctx, BiDashboardSchema, 'bi_dashboards', where as FilterQuery<BiDashboard>, filters);
  const cards = await cardsOf(ctx, page.items.map((d) => d.id));
  return { items: page.items.map((dashboard) => ({ dashboard, cards: cards.get(dashboard.id)! })), next_cursor: page.next_cursor };
}

/** Places a report at the bottom of a dashboard (createBiReport's `dashboard_id`). */
export async function appendCard(ctx: TenantContext, dashboard: BiDashboard, reportId: string): Promise<void> {
  const existing = (await cardsOf(ctx, [dashboard.id])).get(dashboard.id)!;
  const card = ctx.em.create(BiDashboardCardSchema, {
    id: newId(BI_IDS.card), workspace_id: ctx.workspaceId, dashboard_id: dashboard.id, report_id: reportId, title: null,
    ...NEW_CARD, y: bottom(existing), created_at: new Date(),
  });
  ctx.em.persist(card);
  dashboard.updated_at = new Date();
  await ctx.em.flush();
  recordEvent(ctx, { type: 'bi_dashboard.updated', resource_type: 'bi_dashboard', resource_id: dashboard.id, payload: serializeDashboard({ dashboard, cards: sortCards([...existing, card]) }) });
}
