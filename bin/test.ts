// Runs every test (ava) against real services it starts itself on their own ports and a fresh
// data folder (.data/test): PostgreSQL, the Temporal dev server, SeaweedFS (S3), a worker.
// Extra arguments go to ava (for example a file pattern or --match).
// SLAB5_TEST_SLOT=N runs a second harness beside the first (ports shifted by N*100, own data dir).
import { resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import type { Stopper } from '../tools/devstack/services.ts';
import { startHarnessServices, stopOnSignals } from '../tools/devstack/harness.ts';
import { runAva } from '../tools/devstack/ava-run.ts';

const root = resolve(import.meta.dirname, '..');
const slot = Number(process.env.SLAB5_TEST_SLOT ?? 0);
const stoppers: Stopper[] = [];
const say = (msg: string) => console.log(`[slab5 test] ${msg}`);
const started = Date.now();
const stopAll = stopOnSignals(stoppers, say);

async function main(): Promise<number> {
  // tsx runs TypeScript without checking it: the type check is part of the test command.
  if (process.env.SLAB5_SKIP_TYPECHECK !== '1') {
    say('type-checking (tsc)...');
    const tsc = spawnSync(process.execPath, [resolve(root, 'node_modules/typescript/bin/tsc'), '-p', root], { stdio: 'inherit' });
    if (tsc.status !== 0) { say('type check failed'); return 1; }
  }
  say('starting PostgreSQL, Temporal, S3 and a worker for the tests...');
  const { env } = await startHarnessServices(root, 'test', slot, stoppers);
  say(`services ready in ${((Date.now() - started) / 1000).toFixed(1)}s; running ava`);
  const ava = runAva(process.execPath, [resolve(root, 'node_modules/ava/entrypoints/cli.mjs'), ...process.argv.slice(2)],
    { cwd: root, env: { ...process.env, ...env }, onOutput: (chunk) => process.stdout.write(chunk) });
  // Stopped first on a signal (stoppers stop in reverse): the tests, then the services they use.
  stoppers.push({ name: 'ava', stop: async () => ava.stop() });
  const { code, output, killed } = await ava.done;
  if (killed) say('ava did not exit after its timeout: its process group was killed');
  // One plain closing line that any CI reads: "N passed, N failed".
  const count = (re: RegExp) => Number(re.exec(output)?.[1] ?? 0);
  // ava prints "N tests passed" only when nothing failed; otherwise its ✔ lines are the count.
  const passed = count(/(\d+) tests? passed/) || (output.match(/^\s+✔ /gm) ?? []).length;
  const failed = count(/(\d+) tests? failed/) + count(/(\d+) uncaught exceptions?/) + count(/(\d+) unhandled rejections?/);
  console.log(`\nava: ${passed} passed, ${failed} failed`);
  return code;
}

let code = 1;
try {
  code = await main();
} catch (err) {
  console.error(`[slab5 test] ${(err as Error).stack ?? err}`);
} finally {
  await stopAll();
  say(`done in ${((Date.now() - started) / 1000).toFixed(1)}s (exit ${code})`);
}
process.exit(code);
