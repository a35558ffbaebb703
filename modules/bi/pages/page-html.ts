// What the BI pages share: the HTML document (inline CSS only; the API's CSP allows nothing
// else), the refusal, and a report drawn as its chart (SVG) over its table.
import type { AppDeps } from '../../../api/deps.ts';
import type { TenantContext } from '../../../kernel/tenant.ts';
import { biEngine } from '../engine.ts';
import type { BiReport } from '../entities.ts';
import { runQuery } from '../query/run.ts';
import { chartSpec, chartSvg } from '../charts/chart.ts';

export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const cell = (v: unknown) => escapeHtml(v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

/** A whole document; `wide` for a dashboard's grid. */
export const page = (title: string, body: string, wide = false) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:960px;color:#222}
table{border-collapse:collapse;width:100%;margin-top:1.5rem}th,td{border-bottom:1px solid #ddd;padding:.4rem .6rem;text-align:left}
th{background:#f5f5f5}td.n{text-align:right;font-variant-numeric:tabular-nums}.meta{color:#666}
body.wide{max-width:1400px}.grid{display:grid;grid-template-columns:repeat(12,1fr);gap:1rem}
.card{border:1px solid #ddd;border-radius:6px;padding:1rem;overflow:auto}.card svg{max-width:100%;height:auto}</style></head>
<body${wide ? ' class="wide"' : ''}>${body}</body></html>`;

export const refused = () => ({ status: 403, html: page('Link not valid', '<h1>This link is not valid</h1><p class="meta">It has expired or was changed. Ask for a new one.</p>') });

/** The report's chart (when its visualization has one) and its rows, answered now. */
export async function reportSection(deps: AppDeps, ctx: TenantContext, report: BiReport): Promise<string> {
  const result = await runQuery(ctx, biEngine(deps), { report_id: report.id, row_limit: report.row_limit });
  const spec = chartSpec({ visualization: report.visualization, title: report.name, columns: result.columns, rows: result.rows });
  const svg = spec ? await chartSvg(spec) : '';
  const numeric = result.columns.map((c) => c.type === 'integer' || c.type === 'number');
  const head = result.columns.map((c) => `<th>${escapeHtml(c.label ?? c.name)}</th>`).join('');
  const rows = result.rows.map((r) => `<tr>${r.map((v, i) => `<td${numeric[i] ? ' class="n"' : ''}>${cell(v)}</td>`).join('')}</tr>`).join('\n');
  return `<p class="meta">Data as of ${escapeHtml(result.snapshot_at ?? result.created_at)} UTC${result.truncated ? ` (first ${result.row_count} rows)` : ''}.</p>
${svg ? `<figure role="img" aria-label="${escapeHtml(report.name)}">${svg}</figure>` : ''}
<table><thead><tr>${head}</tr></thead><tbody>
${rows}
</tbody></table>`;
}
