import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// bin/test starts the worker with its output in <data dir>/worker.log.
test('every line the worker process writes is a JSON log record', (t) => {
  const dir = process.env.SLAB5_TEST_DATA_DIR;
  if (!dir) return t.fail('SLAB5_TEST_DATA_DIR is set by bin/test');
  const lines = readFileSync(join(dir, 'worker.log'), 'utf8').split('\n').filter(Boolean);
  t.true(lines.length >= 1);
  const records = lines.map((line) => {
    try { return JSON.parse(line) as Record<string, unknown>; } catch { return t.fail(`not JSON: ${line.slice(0, 200)}`); }
  });
  for (const r of records) {
    t.is(typeof r?.level, 'number');
    t.is(typeof r?.time, 'string');
  }
  t.true(records.some((r) => r?.msg === 'worker running'));
});
