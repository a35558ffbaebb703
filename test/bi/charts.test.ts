// Charts drawn on the server: a report result becomes a vega-lite spec, an SVG with one mark per
// value, and a PNG; visualizations without a chart (table, number) or results without a measure
// draw nothing.
import test from 'ava';
import { chartSpec, chartSvg, svgToPng } from '../../modules/bi/charts/chart.ts';

const columns = [{ name: 'stage', type: 'string' as const, label: 'Stage' }, { name: 'met_1', type: 'number' as const, label: 'Pipeline value' }];
const rows = [['discovery', 5000], ['proposal', '9000'], ['qualified', 7000]];

test('a bar report draws one bar per row, labelled with the column labels, as SVG and PNG', async (t) => {
  const spec = chartSpec({ visualization: 'bar', title: 'Pipeline by stage', columns, rows })!;
  t.truthy(spec);
  const svg = await chartSvg(spec);
  t.is((svg.match(/aria-roledescription="bar"/g) ?? []).length, 3);
  t.regex(svg, /Pipeline value/);
  t.regex(svg, /Pipeline by stage/);
  const png = await svgToPng(svg);
  t.true(png.subarray(0, 4).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47])));
  t.true(png.readUInt32BE(16) > 500, 'width from the IHDR chunk');
});

test('line, pie and funnel draw their own marks; table, number and measure-less results draw nothing', async (t) => {
  t.regex(await chartSvg(chartSpec({ visualization: 'line', title: 'L', columns, rows })!), /aria-roledescription="line mark"/);
  t.is(((await chartSvg(chartSpec({ visualization: 'pie', title: 'P', columns, rows })!)).match(/aria-roledescription="arc mark"/g) ?? []).length, 3);
  t.is(((await chartSvg(chartSpec({ visualization: 'funnel', title: 'F', columns, rows })!)).match(/aria-roledescription="bar"/g) ?? []).length, 3);
  t.is(chartSpec({ visualization: 'table', title: 'T', columns, rows }), null);
  t.is(chartSpec({ visualization: 'number', title: 'N', columns, rows }), null);
  t.is(chartSpec({ visualization: 'bar', title: 'B', columns: [columns[0]!], rows: rows.map((r) => [r[0]]) }), null);
});
