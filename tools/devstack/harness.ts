// The services tests and benchmarks run against: PostgreSQL, a headless Temporal dev server,
// SeaweedFS and a worker, on their own ports (shifted by slot * 100) and a fresh data folder.
import { rmSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig, type Config } from '../../platform/config.ts';
import { migrate } from '../../platform/db.ts';
import { openOrm } from '../../app/orm.ts';
import { createTemporalClient } from '../../platform/temporal.ts';
import { TEST_PORTS, S3_DEV_CREDENTIALS, startPostgres, startS3, startTemporal, type Stopper } from './services.ts';
import { startProcess, waitFor, type Managed } from './processes.ts';
import { assertToolsInstalled, toolPaths } from './tools.ts';

/** Loopback, IPv4 and IPv6: where local webhook receivers listen (the dev stack allows it too). */
export const LOOPBACK_CIDRS = '127.0.0.0/8,::1/128';
/** The harness worker's metrics ports (product, Temporal SDK), shifted by slot * 100 like the rest. */
const WORKER_METRICS_PORT = 19464;

export interface HarnessServices {
  env: Record<string, string>; config: Config; dataDir: string; stoppers: Stopper[];
  /** The worker process (benchmarks read its memory). */
  workerPid: number;
}

export async function startHarnessServices(root: string, name: string, slot: number, stoppers: Stopper[]): Promise<HarnessServices> {
  assertToolsInstalled(root);
  const dataDir = resolve(root, slot ? `.data/${name}-${slot}` : `.data/${name}`);
  const ports = Object.fromEntries(Object.entries(TEST_PORTS).map(([k, v]) => [k, v + slot * 100])) as typeof TEST_PORTS;
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
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
    BI_SNAPSHOT_DIR: resolve(dataDir, 'bi-snapshots'),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    // Webhook receivers of the tests and benchmarks listen on loopback.
    WEBHOOK_ALLOW_PRIVATE_CIDRS: LOOPBACK_CIDRS,
    SLAB5_TEST_DATA_DIR: dataDir,
    // Only the worker listens there (its own env below): tests scrape it.
    SLAB5_TEST_WORKER_METRICS_URL: `http://127.0.0.1:${WORKER_METRICS_PORT + slot * 100}/metrics`,
    SLAB5_TEST_WORKER_SDK_METRICS_URL: `http://127.0.0.1:${WORKER_METRICS_PORT + 1 + slot * 100}/metrics`,
  };
  Object.assign(process.env, env);
  const config = loadConfig(process.env, { root: '/nonexistent' });
  const orm = await openOrm(config.databaseUrl);
  await migrate(orm);
  await orm.close(true);

  const worker = startProcess('worker', process.execPath, ['--import', 'tsx', resolve(root, 'bin/worker.ts')],
    { logFile: resolve(dataDir, 'worker.log'), env: { ...env, METRICS_PORT: String(WORKER_METRICS_PORT + slot * 100), TEMPORAL_METRICS_PORT: String(WORKER_METRICS_PORT + 1 + slot * 100) }, cwd: root });
  stoppers.push(worker);
  await waitForPoller(config, worker);
  return { env, config, dataDir, stoppers, workerPid: worker.child.pid! };
}

/** The worker is ready once Temporal sees it polling the task queue. */
async function waitForPoller(config: Config, worker: Managed) {
  const client = await createTemporalClient(config);
  try {
    await waitFor('worker', async () => {
      const res = await client.workflowService.describeTaskQueue({
        namespace: config.temporalNamespace, taskQueue: { name: config.temporalTaskQueue }, taskQueueType: 1,
      });
      return (res.pollers?.length ?? 0) > 0;
    }, { timeoutMs: 120_000, process: worker });
  } finally { await client.connection.close(); }
}

/** Stops what was started, newest first, once; on SIGINT/SIGTERM too. */
export function stopOnSignals(stoppers: Stopper[], say: (m: string) => void): () => Promise<void> {
  let stopped = false;
  const stopAll = async () => {
    if (stopped) return;
    stopped = true;
    for (const s of [...stoppers].reverse()) await s.stop().catch(() => {});
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, async () => {
      say(`${signal}: stopping the services...`);
      await stopAll();
      process.exit(130);
    });
  }
  return stopAll;
}
