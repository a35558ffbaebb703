// Reading a page's screenshot: the bars of a chart as drawn, found by vega-lite's default bar
// colour (#4c78a8) in the decoded PNG (pngjs), so a test can tell the chart is on the page and
// drawn from the data, not merely present in the HTML.
import { PNG } from 'pngjs';

const BAR = [0x4c, 0x78, 0xa8] as const;
const TOLERANCE = 12;

export interface Bar { left: number; width: number; height: number }

/** The bars in the picture, left to right: runs of columns holding bar-coloured pixels. */
export function barsIn(png: Buffer): Bar[] {
  const { width, height, data } = PNG.sync.read(png);
  const isBar = (x: number, y: number) => {
    const i = (y * width + x) * 4;
    return BAR.every((c, k) => Math.abs(data[i + k]! - c) <= TOLERANCE);
  };
  const bars: Bar[] = [];
  let current: Bar | null = null;
  for (let x = 0; x < width; x++) {
    let column = 0;
    for (let y = 0; y < height; y++) if (isBar(x, y)) column++;
    if (column > 0) {
      current ??= { left: x, width: 0, height: 0 };
      current.width++;
      current.height = Math.max(current.height, column);
    } else if (current) {
      bars.push(current);
      current = null;
    }
  }
  if (current) bars.push(current);
  // Antialiased fringes one or two pixels wide are no bars.
  return bars.filter((b) => b.width > 3);
}
