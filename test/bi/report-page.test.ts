// The report page people open from the mail: a signed link (object, workspace and expiry under an
// HMAC; no token) answers a whole HTML document with the chart as SVG and the rows as a table,
// with no script and nothing from elsewhere; a tampered, swapped or expired link answers 403.
import test from 'ava';
import { signedPagePath } from '../../modules/bi/pages/signing.ts';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { screenshot } from '../helpers/chromium.ts';
import { dealsWorkspace, expectOk, pipelineReport } from './helpers.ts';
import { barsIn } from './page-pixels.ts';

let h: Harness;
test.before(async () => { h = await bootHarness(); });
test.after.always(async () => { await h?.close(); });

const inAnHour = () => new Date(Date.now() + 3600_000);

test('a signed link opens the report as a page with its chart and table; a changed or expired link is refused', async (t) => {
  const ws = await dealsWorkspace(h, 6);
  const other = await dealsWorkspace(h, 1);
  const { report } = await pipelineReport(t, ws, 'Pipeline <by> stage');
  const path = signedPagePath(h.config.cursorSecret, { kind: 'report', id: report.id, workspaceId: ws.id, expiresAt: inAnHour() });
  t.notRegex(path, /token|Bearer/i);

  const res = await fetch(`${h.url}${path}`);
  t.is(res.status, 200);
  t.regex(res.headers.get('content-type') ?? '', /text\/html/);
  t.regex(res.headers.get('content-security-policy') ?? '', /default-src 'none'/);
  const html = await res.text();
  t.regex(html, /<title>Pipeline &#60;by&#62; stage<\/title>/, 'names are escaped');
  t.is((html.match(/aria-roledescription="bar"/g) ?? []).length, 3, 'the chart, drawn: one bar per stage');
  t.regex(html, /<td>discovery<\/td><td class="n">5000<\/td>/);
  t.regex(html, /<td>qualified<\/td><td class="n">7000<\/td>/);
  t.notRegex(html, /<script|<link|src="http/, 'no script, nothing loaded from elsewhere');

  const url = new URL(`${h.url}${path}`);
  const tampered = new URL(url); tampered.searchParams.set('signature', `${url.searchParams.get('signature')!.slice(0, -2)}AA`);
  const swapped = new URL(url); swapped.searchParams.set('workspace', other.id);
  const later = new URL(url); later.searchParams.set('expires', String(Number(url.searchParams.get('expires')) + 3600));
  const expired = signedPagePath(h.config.cursorSecret, { kind: 'report', id: report.id, workspaceId: ws.id, expiresAt: new Date(Date.now() - 1000) });
  const foreign = signedPagePath(h.config.cursorSecret, { kind: 'report', id: report.id, workspaceId: other.id, expiresAt: inAnHour() });
  for (const bad of [tampered.toString(), swapped.toString(), later.toString(), `${h.url}${expired}`, `${h.url}${foreign}`, `${h.url}/bi/pages/report/${report.id}`]) {
    const refused = await fetch(bad);
    t.is(refused.status, 403, bad);
    t.regex(await refused.text(), /This link is not valid/);
  }
  await expectOk(t, ws.client.call('DELETE', `/bi/reports/${report.id}`));
  t.is((await fetch(`${h.url}${path}`)).status, 403, 'an archived report is no longer shown');
});

test('headless Chromium opens the signed page and draws the chart: one bar per stage, as tall as its value', async (t) => {
  const ws = await dealsWorkspace(h, 6); // discovery 5000, qualified 7000, proposal 9000
  const { report } = await pipelineReport(t, ws);
  const path = signedPagePath(h.config.cursorSecret, { kind: 'report', id: report.id, workspaceId: ws.id, expiresAt: inAnHour() });
  const shot = await screenshot(`${h.url}${path}`, { width: 1000, height: 900 });
  const bars = barsIn(shot);
  t.is(bars.length, 3, JSON.stringify(bars));
  const [discovery, proposal, qualified] = bars.map((b) => b.height) as [number, number, number];
  t.true(discovery > 20, `bars have a height (${discovery} px)`);
  // The y axis starts at zero: heights keep the values' proportions (to a pixel or two).
  t.true(Math.abs(discovery / proposal - 5 / 9) < 0.03, `${discovery}/${proposal}`);
  t.true(Math.abs(qualified / proposal - 7 / 9) < 0.03, `${qualified}/${proposal}`);

  // The refused page draws no chart.
  const refused = await screenshot(`${h.url}/bi/pages/report/${report.id}`, { width: 1000, height: 900 });
  t.deepEqual(barsIn(refused), []);
});

test('a signed link opens a dashboard as a page: its cards on the grid, each chart drawn; a changed, expired or archived one is refused', async (t) => {
  const ws = await dealsWorkspace(h, 6);
  const { report } = await pipelineReport(t, ws);
  const table = await expectOk(t, ws.client.post('/bi/reports', { name: 'Deals by stage (table)', dataset_id: report.dataset_id, dimensions: ['stage'], metric_ids: report.metric_ids, visualization: 'table' }), 201);
  const dashboard = await expectOk(t, ws.client.post('/bi/dashboards', {
    name: 'Pipeline <overview>', cards: [{ report_id: report.id, x: 0, width: 7 }, { report_id: table.id, title: 'The numbers', x: 7, y: 0, width: 5 }],
  }), 201);
  const path = signedPagePath(h.config.cursorSecret, { kind: 'dashboard', id: dashboard.id, workspaceId: ws.id, expiresAt: inAnHour() });
  const res = await fetch(`${h.url}${path}`);
  t.is(res.status, 200);
  const html = await res.text();
  t.regex(html, /<title>Pipeline &#60;overview&#62;<\/title>/);
  t.is((html.match(/<section class="card"/g) ?? []).length, 2);
  t.regex(html, /grid-column:1 \/ span 7;grid-row:1"><h2>Pipeline by stage<\/h2>/);
  t.regex(html, /grid-column:8 \/ span 5;grid-row:1"><h2>The numbers<\/h2>/);
  t.is((html.match(/aria-roledescription="bar"/g) ?? []).length, 3, 'one chart, three bars; the table report draws none');
  t.is((html.match(/<td>proposal<\/td><td class="n">9000<\/td>/g) ?? []).length, 2, 'both cards answer their rows');
  t.notRegex(html, /<script|<link|src="http/);

  const shot = await screenshot(`${h.url}${path}`, { width: 1400, height: 1000 });
  const bars = barsIn(shot);
  t.is(bars.length, 3, JSON.stringify(bars));
  t.true(Math.abs(bars[0]!.height / bars[1]!.height - 5 / 9) < 0.03, 'drawn from the data');

  // A report link does not open the dashboard (the kind is signed), nor the reverse.
  const asReport = path.replace('/bi/pages/dashboard/', '/bi/pages/report/');
  t.is((await fetch(`${h.url}${asReport}`)).status, 403);
  const expired = signedPagePath(h.config.cursorSecret, { kind: 'dashboard', id: dashboard.id, workspaceId: ws.id, expiresAt: new Date(Date.now() - 1000) });
  t.is((await fetch(`${h.url}${expired}`)).status, 403);
  const url = new URL(`${h.url}${path}`);
  url.searchParams.set('workspace', (await dealsWorkspace(h, 1)).id);
  t.is((await fetch(url)).status, 403, 'another workspace');

  await expectOk(t, ws.client.call('DELETE', `/bi/reports/${table.id}`));
  t.regex(await (await fetch(`${h.url}${path}`)).text(), /This report was archived\./);
  await expectOk(t, ws.client.call('DELETE', `/bi/dashboards/${dashboard.id}`));
  t.is((await fetch(`${h.url}${path}`)).status, 403, 'an archived dashboard is no longer shown');
});
