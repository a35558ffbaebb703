// DuckDB loads with the first BI call, not with the process: an API process that answers no BI
// query keeps its ~20 MB of native library out of memory, and closing an engine never used loads
// nothing. Checked in a fresh process by whether DuckDB's native module is mapped.
import test from 'ava';
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const root = resolve(import.meta.dirname, '../..');

/** Runs `script` (ESM, top-level await) in a fresh Node process with tsx; answers what it printed. */
async function inFreshProcess(script: string): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, env: process.env });
  return stdout.trim();
}

const duckdbMapped = `(await import('node:fs')).readFileSync('/proc/self/maps', 'utf8').includes('duckdb')`;

test('the API and every module load without DuckDB; the first engine call loads it', async (t) => {
  const out = await inFreshProcess(`
    await import('./app/api.ts');
    const { createDeps } = await import('./app/deps.ts');
    const { loadConfig } = await import('./platform/config.ts');
    const before = ${duckdbMapped};
    const deps = await createDeps(loadConfig(process.env, { root: '/nonexistent' }));
    const { biEngine } = await import('./modules/bi/engine.ts');
    const engine = biEngine(deps);
    const afterCreate = ${duckdbMapped};
    const catalog = await engine.catalog();
    const afterCall = ${duckdbMapped};
    await deps.close();
    console.log(JSON.stringify({ before, afterCreate, afterCall, tables: catalog.has('deals') }));
  `);
  t.deepEqual(JSON.parse(out.split('\n').pop()!), { before: false, afterCreate: false, afterCall: true, tables: true });
});

test('closing an engine that was never used loads nothing', async (t) => {
  const out = await inFreshProcess(`
    const { biEngine, disposeBiEngine } = await import('./modules/bi/engine.ts');
    const orm = {};
    biEngine({ orm, config: {}, logger: {}, biTables: {} });
    await disposeBiEngine({ orm });
    console.log(${duckdbMapped});
  `);
  t.is(out.split('\n').pop(), 'false');
});
