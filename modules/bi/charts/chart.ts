// A report's chart, drawn on the server: a vega-lite spec from the report's visualization and its
// result (first column on the category axis, the numeric columns after it as the measures),
// compiled by vega-lite, rendered to SVG by vega's headless view, and rasterised to PNG by resvg
// for mail clients. No browser. `table` and `number` reports have no chart.
// vega, vega-lite and resvg load with the first chart: an API process that draws none does not
// hold them (tens of MB).
import type { TopLevelSpec } from 'vega-lite';
import type { BiType } from '../entities.ts';

export interface ChartInput {
  visualization: string;
  title: string;
  columns: { name: string; type: BiType; label: string | null }[];
  rows: unknown[][];
}

const NUMERIC: BiType[] = ['integer', 'number'];
const MARKS: Record<string, 'bar' | 'line' | 'area' | 'arc' | 'point'> = { bar: 'bar', funnel: 'bar', line: 'line', area: 'area', pie: 'arc', scatter: 'point' };
/** Points a chart shows at most (a chart of 10,000 bars is no chart). */
const MAX_POINTS = 200;

/** The vega-lite spec, or null when the visualization or the result has no chart. */
export function chartSpec(input: ChartInput): TopLevelSpec | null {
  const mark = MARKS[input.visualization];
  const [category, ...rest] = input.columns;
  const measures = rest.filter((c) => NUMERIC.includes(c.type));
  if (!mark || !category || !measures.length) return null;
  const title = (c: { name: string; label: string | null }) => c.label ?? c.name;
  const values = input.rows.slice(0, MAX_POINTS).flatMap((row) => measures.map((m) => ({
    category: row[0] === null ? '(none)' : String(row[0]), measure: title(m), value: Number(row[input.columns.indexOf(m)] ?? 0),
  })));
  const time = category.type === 'date' || category.type === 'timestamp';
  const x = { field: 'category', type: time ? 'temporal' : input.visualization === 'scatter' ? 'quantitative' : 'nominal', title: title(category), sort: null } as const;
  const y = { field: 'value', type: 'quantitative', title: measures.length === 1 ? title(measures[0]!) : null } as const;
  const color = measures.length > 1 ? { color: { field: 'measure', type: 'nominal', title: null } } : {};
  const base = { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', title: input.title, width: 560, height: 280, data: { values }, background: 'white' } as const;
  if (mark === 'arc') return { ...base, mark: { type: 'arc' }, encoding: { theta: { field: 'value', type: 'quantitative' }, color: { field: 'category', type: 'nominal', title: title(category) } } } as TopLevelSpec;
  // A funnel is horizontal bars, widest first.
  if (input.visualization === 'funnel') return { ...base, mark: { type: 'bar' }, encoding: { y: { ...x, sort: '-x' }, x: y, ...color } } as TopLevelSpec;
  return { ...base, mark: { type: mark, tooltip: false }, encoding: { x, y, ...color } } as TopLevelSpec;
}

export async function chartSvg(spec: TopLevelSpec): Promise<string> {
  const [vega, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export const svgToPng = async (svg: string): Promise<Buffer> => {
  const { Resvg } = await import('@resvg/resvg-js');
  return Buffer.from(new Resvg(svg, { font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' }, fitTo: { mode: 'zoom', value: 2 } }).render().asPng());
};
