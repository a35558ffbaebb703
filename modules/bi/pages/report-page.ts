// A report as a page people open from the mail: its chart as inline SVG and its rows as a table,
// answered fresh from the workspace's snapshot. Plain HTML and CSS: no script, no CDN. A link
// that is tampered with or expired, or a report that is gone or archived, answers a 403 page.
import { systemTenant } from '../../../kernel/tenant.ts';
import type { PageSpec } from '../../manifest.ts';
import { BiReportSchema } from '../entities.ts';
import { escapeHtml, page, refused, reportSection } from './page-html.ts';
import { verifyPageLink } from './signing.ts';

export const reportPage: PageSpec = {
  path: '/bi/pages/report/:id',
  async render(deps, req) {
    const claim = verifyPageLink(deps.config.cursorSecret, 'report', req.params.id ?? '', req.query);
    if (!claim) return refused();
    const ctx = systemTenant(deps.orm.em.fork(), claim.workspaceId, deps.resources);
    const report = await ctx.em.findOne(BiReportSchema, { id: claim.id, workspace_id: claim.workspaceId });
    if (!report || report.status === 'archived') return refused();
    const section = await reportSection(deps, ctx, report);
    return {
      status: 200,
      html: page(report.name, `<h1>${escapeHtml(report.name)}</h1>
${report.description ? `<p>${escapeHtml(report.description)}</p>` : ''}
${section}`),
    };
  },
};
