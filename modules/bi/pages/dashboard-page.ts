// A dashboard as a page: its cards on the 12-column grid (each a report's chart and table, as the
// report page draws it), answered fresh from the workspace's snapshot. The same signed links as
// the report page (bound to the dashboard, its workspace and the expiry); a tampered or expired
// link, or a dashboard gone or archived, answers the 403 page. A card whose report was archived
// since says so instead of drawing it.
import { BiDashboardCardSchema, BiDashboardSchema, BiReportSchema, type BiDashboard } from '../entities.ts';
import { escapeHtml, page, reportSection } from './page-html.ts';
import { signedPage } from './signed-page.ts';

export const dashboardPage = signedPage<BiDashboard>('dashboard', BiDashboardSchema, async (deps, ctx, dashboard) => {
  const cards = await ctx.em.find(BiDashboardCardSchema, { dashboard_id: dashboard.id, workspace_id: ctx.workspaceId }, { orderBy: { y: 'asc', x: 'asc', id: 'asc' } });
  const reports = new Map((await ctx.em.find(BiReportSchema, { id: { $in: cards.map((c) => c.report_id) }, workspace_id: ctx.workspaceId })).map((r) => [r.id, r]));
  const drawn: string[] = [];
  // One card at a time: each runs its report's query in the workspace's sandbox.
  for (const card of cards) {
    const report = reports.get(card.report_id);
    const title = escapeHtml(card.title ?? report?.name ?? card.report_id);
    const body = report && report.status !== 'archived' ? await reportSection(deps, ctx, report) : '<p class="meta">This report was archived.</p>';
    drawn.push(`<section class="card" style="grid-column:${card.x + 1} / span ${card.width};grid-row:${card.y + 1}"><h2>${title}</h2>\n${body}</section>`);
  }
  return {
    status: 200,
    html: page(dashboard.name, `<h1>${escapeHtml(dashboard.name)}</h1>
${dashboard.description ? `<p>${escapeHtml(dashboard.description)}</p>` : ''}
${drawn.length ? `<div class="grid">\n${drawn.join('\n')}\n</div>` : '<p class="meta">This dashboard has no cards yet.</p>'}`, true),
  };
});
