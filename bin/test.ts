// Runs every test (ava) against real services it starts itself on their own ports and a fresh
// data folder (.data/test): PostgreSQL, the Temporal dev server, SeaweedFS (S3), a worker.
// Extra arguments go to ava (for example a file pattern or --match).
import { rmSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { spawn } from 'node:child_process';
import { loadConfig } from '../platform/config.ts';
import { initOrm, migrate } from '../platform/db.ts';
import { TEST_PORTS, S3_DEV_CREDENTIALS, startPostgres, startS3, startTemporal, type Stopper } from '../platform/devstack/services.ts';
import { startProcess, waitFor } from '../platform/devstack/processes.ts';
import { assertToolsInstalled, toolPaths } from '../platform/devstack/tools.ts';
import { createTemporalClient } from '../platform/temporal.ts';

const root = resolve(import.meta.dirname, '..');
// SLAB5_TEST_SLOT=N runs a second harness beside the first (ports shifted by N*100, own data dir).
const slot = Number(process.env.SLAB5_TEST_SLOT ?? 0);
const dataDir = resolve(root, slot ? `.data/test-${slot}` : '.data/test');
const ports = Object.fromEntries(Object.entries(TEST_PORTS).map(([k, v]) => [k, v + slot * 100])) as typeof TEST_PORTS;
const stoppers: Stopper[] = [];
const say = (msg: string) => console.log(`[slab5 test] ${msg}`);
const started = Date.now();

async function main(): Promise<number> {
  assertToolsInstalled(root);
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  say('starting PostgreSQL, Temporal and S3 for the tests...');
  const [pg, temporal, s3] = await Promise.all([
    startPostgres(resolve(dataDir, 'postgres'), ports.postgres, 'slab5_test'),
    startTemporal(root, resolve(dataDir, 'temporal'), ports, { ui: false }),
    startS3(root, resolve(dataDir, 's3'), ports, 'slab5-test'),
  ]);
  stoppers.push(pg.stopper, temporal.managed, s3.managed);
  const env: Record<string, string> = {
    DATABASE_URL: pg.url,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_TASK_QUEUE: 'slab5-test',
    S3_ENDPOINT: s3.endpoint,
    S3_BUCKET: 'slab5-test',
    AWS_ACCESS_KEY_ID: S3_DEV_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: S3_DEV_CREDENTIALS.secretAccessKey,
    DUCKDB_EXTENSION_DIR: toolPaths(root).duckdbExtensionDir,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    SLAB5_TEST_DATA_DIR: dataDir,
    SLAB5_TEST_TEMPORAL_LOG: temporal.managed.logFile,
  };
  Object.assign(process.env, env);
  const config = loadConfig(process.env, { root: '/nonexistent' });
  const orm = await initOrm(config.databaseUrl);
  await migrate(orm);
  await orm.close(true);

  const worker = startProcess('worker', process.execPath, ['--import', 'tsx', resolve(root, 'bin/worker.ts')],
    { logFile: resolve(dataDir, 'worker.log'), env, cwd: root });
  stoppers.push(worker);
  await waitForPoller(config, worker);
  say(`services ready in ${((Date.now() - started) / 1000).toFixed(1)}s; running ava`);

  const ava = spawn(process.execPath, [resolve(root, 'node_modules/ava/entrypoints/cli.mjs'), ...process.argv.slice(2)],
    { cwd: root, env: { ...process.env, ...env }, stdio: 'inherit' });
  return new Promise((resolveCode) => ava.once('exit', (code) => resolveCode(code ?? 1)));
}

/** The worker is ready once Temporal sees it polling the test task queue. */
async function waitForPoller(config: ReturnType<typeof loadConfig>, worker: ReturnType<typeof startProcess>) {
  const client = await createTemporalClient(config);
  try {
    await waitFor('test worker', async () => {
      const res = await client.workflowService.describeTaskQueue({
        namespace: config.temporalNamespace, taskQueue: { name: config.temporalTaskQueue }, taskQueueType: 1,
      });
      return (res.pollers?.length ?? 0) > 0;
    }, { timeoutMs: 120_000, process: worker });
  } finally { await client.connection.close(); }
}

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    if (interrupted) return;
    interrupted = true;
    say(`${signal}: stopping the services...`);
    for (const s of [...stoppers].reverse()) await s.stop().catch(() => {});
    process.exit(130);
  });
}

let code = 1;
try {
  code = await main();
} catch (err) {
  console.error(`[slab5 test] ${(err as Error).stack ?? err}`);
} finally {
  for (const s of stoppers.reverse()) await s.stop().catch(() => {});
  say(`done in ${((Date.now() - started) / 1000).toFixed(1)}s (exit ${code})`);
}
process.exit(code);
