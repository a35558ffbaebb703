// A report as a page people open from the mail: its chart as inline SVG and its rows as a table,
// answered fresh from the workspace's snapshot. Plain HTML and CSS: no script, no CDN. A link
// that is tampered with or expired, or a report that is gone or archived, answers a 403 page.
import { systemTenant } from '../../../kernel/tenant.ts';
import type { PageSpec } from '../../manifest.ts';
import { biEngine } from '../engine.ts';
import { BiReportSchema } from '../entities.ts';
import { runQuery } from '../query/run.ts';
import { chartSpec, chartSvg } from '../charts/chart.ts';
import { verifyPageLink } from './signing.ts';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const cell = (v: unknown) => escapeHtml(v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

const page = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:960px;color:#222}
table{border-collapse:collapse;width:100%;margin-top:1.5rem}th,td{border-bottom:1px solid #ddd;padding:.4rem .6rem;text-align:left}
th{background:#f5f5f5}td.n{text-align:right;font-variant-numeric:tabular-nums}.meta{color:#666}</style></head>
<body>${body}</body></html>`;

const refused = () => ({ status: 403, html: page('Link not valid', '<h1>This link is not valid</h1><p class="meta">It has expired or was changed. Ask for a new one.</p>') });

export const reportPage: PageSpec = {
  path: '/bi/pages/report/:id',
  async render(deps, req) {
    const claim = verifyPageLink(deps.config.cursorSecret, req.params.id ?? '', req.query);
    if (!claim) return refused();
    const ctx = systemTenant(deps.orm.em.fork(), claim.workspaceId, deps.resources);
    const report = await ctx.em.findOne(BiReportSchema, { id: claim.id, workspace_id: claim.workspaceId });
    if (!report || report.status === 'archived') return refused();
    const engine = biEngine(deps);
    const result = await runQuery(ctx, engine, { report_id: report.id, row_limit: report.row_limit });
    const spec = chartSpec({ visualization: report.visualization, title: report.name, columns: result.columns, rows: result.rows });
    const svg = spec ? await chartSvg(spec) : '';
    const numeric = result.columns.map((c) => c.type === 'integer' || c.type === 'number');
    const head = result.columns.map((c) => `<th>${escapeHtml(c.label ?? c.name)}</th>`).join('');
    const rows = result.rows.map((r) => `<tr>${r.map((v, i) => `<td${numeric[i] ? ' class="n"' : ''}>${cell(v)}</td>`).join('')}</tr>`).join('\n');
    return {
      status: 200,
      html: page(report.name, `<h1>${escapeHtml(report.name)}</h1>
${report.description ? `<p>${escapeHtml(report.description)}</p>` : ''}
<p class="meta">Data as of ${escapeHtml(result.snapshot_at ?? result.created_at)} UTC${result.truncated ? ` (first ${result.row_count} rows)` : ''}.</p>
${svg ? `<figure role="img" aria-label="${escapeHtml(report.name)}">${svg}</figure>` : ''}
<table><thead><tr>${head}</tr></thead><tbody>
${rows}
</tbody></table>`),
    };
  },
};
