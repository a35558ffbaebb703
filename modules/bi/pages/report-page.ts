// A report as a page people open from the mail: its chart as inline SVG and its rows as a table,
// answered fresh from the workspace's snapshot. Plain HTML and CSS: no script, no CDN. A link
// that is tampered with or expired, or a report that is gone or archived, answers a 403 page.
import { BiReportSchema, type BiReport } from '../entities.ts';
import { escapeHtml, page, reportSection } from './page-html.ts';
import { signedPage } from './signed-page.ts';

export const reportPage = signedPage<BiReport>('report', BiReportSchema, async (deps, ctx, report) => {
  const section = await reportSection(deps, ctx, report);
  return {
    status: 200,
    html: page(report.name, `<h1>${escapeHtml(report.name)}</h1>
${report.description ? `<p>${escapeHtml(report.description)}</p>` : ''}
${section}`),
  };
});
