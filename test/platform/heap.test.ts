// The API's heap growth limit (platform/heap.ts) applies unless the operator set their own on the
// command line. Its effect is a memory target, measured by `npm run bench` (http, 200 connections).
import test from 'ava';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { limitHeapGrowth } from '../../platform/heap.ts';

test('an operator\'s --heap-growing-percent wins over the default', (t) => {
  t.false(limitHeapGrowth(['--enable-source-maps', '--heap-growing-percent=50']));
  t.false(limitHeapGrowth(['--heap_growing_percent=10']));
});

test('without one, the default is set (and node accepts it at run time)', async (t) => {
  const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e',
    `const { limitHeapGrowth } = await import('./platform/heap.ts'); console.log(limitHeapGrowth([]));`], { cwd: `${import.meta.dirname}/../..` });
  t.is(stdout.trim(), 'true');
  t.notRegex(stderr, /unknown|bad option|warning/i);
});
