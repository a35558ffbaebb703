// The whole product on one machine: PostgreSQL, Temporal (with its UI), an S3 server, migrations,
// the worker and the API. Any service named in the environment (DATABASE_URL, TEMPORAL_ADDRESS,
// S3_ENDPOINT) is used instead of starting the embedded one. Data lives in .data/dev and survives
// restarts; Ctrl-C stops everything this command started.
import { existsSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, devStackEnvFile, loadConfig } from '../platform/config.ts';
import { migrate } from '../platform/db.ts';
import { openOrm } from '../app/orm.ts';
import { createTemporalClient } from '../platform/temporal.ts';
import { createLogger } from '../platform/logger.ts';
import { createToken } from '../kernel/tenancy/workspaces.ts';
import { SCOPES } from '../kernel/tenancy/scopes.ts';
import { DEV_MAIL_PORTS, DEV_PORTS, S3_DEV_CREDENTIALS, startMailCatcher, startPostgres, startS3, startTemporal, type Stopper } from '../tools/devstack/services.ts';
import { startProcess, waitFor } from '../tools/devstack/processes.ts';
import { LOOPBACK_CIDRS } from '../tools/devstack/harness.ts';
import { devMetrics } from '../tools/devstack/metrics.ts';
import { assertToolsInstalled, toolPaths } from '../tools/devstack/tools.ts';
import { createProvisionedWorkspace } from './lib/operator.ts';
import { builtApiArgs } from '../tools/build/api-bundle.ts';

const root = resolve(import.meta.dirname, '..');
const dataDir = resolve(root, '.data/dev');
const envFile = devStackEnvFile(root);
const credentialsFile = resolve(dataDir, 'dev-credentials.json');
const stoppers: Stopper[] = [];
const say = (msg: string) => console.log(`[slab5 dev] ${msg}`);

async function stopAll() {
  rmSync(envFile, { force: true });
  for (const s of [...stoppers].reverse()) {
    try { await s.stop(); } catch (err) { console.error(`[slab5 dev] stopping ${s.name}: ${(err as Error).message}`); }
  }
}

async function main() {
  assertToolsInstalled(root);
  mkdirSync(dataDir, { recursive: true });
  rmSync(envFile, { force: true });
  const env = process.env;
  const port = env.PORT ?? '3000';
  const settings: Record<string, string> = {
    PORT: port,
    HOST: env.HOST ?? '127.0.0.1',
    S3_BUCKET: env.S3_BUCKET ?? 'slab5',
    DUCKDB_EXTENSION_DIR: env.DUCKDB_EXTENSION_DIR ?? toolPaths(root).duckdbExtensionDir,
    // Local development receives its webhooks on this machine.
    WEBHOOK_ALLOW_PRIVATE_CIDRS: env.WEBHOOK_ALLOW_PRIVATE_CIDRS ?? LOOPBACK_CIDRS,
  };
  // Fail fast on bad values the operator gave before starting anything.
  loadConfig({ DATABASE_URL: 'postgres://x@y/z', TEMPORAL_ADDRESS: 'x:1', S3_ENDPOINT: 'http://x', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x', ...env }, { root: '/nonexistent' });

  if (env.DATABASE_URL) say(`using PostgreSQL at DATABASE_URL`);
  else {
    say(`starting PostgreSQL on 127.0.0.1:${DEV_PORTS.postgres}...`);
    const pg = await startPostgres(resolve(dataDir, 'postgres'), DEV_PORTS.postgres, 'slab5');
    stoppers.push(pg.stopper);
    settings.DATABASE_URL = pg.url;
  }
  if (env.TEMPORAL_ADDRESS) say('using Temporal at TEMPORAL_ADDRESS');
  else {
    say(`starting the Temporal dev server on 127.0.0.1:${DEV_PORTS.temporal} (UI on ${DEV_PORTS.temporalUi})...`);
    const t = await startTemporal(root, resolve(dataDir, 'temporal'), DEV_PORTS, { ui: true });
    stoppers.push(t.managed);
    settings.TEMPORAL_ADDRESS = t.address;
    settings.TEMPORAL_UI_URL = t.uiUrl!;
  }
  if (env.S3_ENDPOINT) say('using S3 at S3_ENDPOINT');
  else {
    say(`starting SeaweedFS (S3) on 127.0.0.1:${DEV_PORTS.s3}...`);
    const s3 = await startS3(root, resolve(dataDir, 's3'), DEV_PORTS, settings.S3_BUCKET!);
    stoppers.push(s3.managed);
    settings.S3_ENDPOINT = s3.endpoint;
    settings.AWS_ACCESS_KEY_ID = S3_DEV_CREDENTIALS.accessKeyId;
    settings.AWS_SECRET_ACCESS_KEY = S3_DEV_CREDENTIALS.secretAccessKey;
  }
  let inboxUrl: string | null = null;
  if (env.SMTP_URL) say('using the SMTP server at SMTP_URL');
  else {
    say(`starting the mail catcher (SMTP 127.0.0.1:${DEV_MAIL_PORTS.smtp}, inbox on ${DEV_MAIL_PORTS.web})...`);
    const mail = await startMailCatcher(root, resolve(dataDir, 'mail'), DEV_MAIL_PORTS);
    stoppers.push(mail.managed);
    settings.SMTP_URL = mail.smtpUrl;
    inboxUrl = mail.inboxUrl;
  }
  writeFileSync(envFile, Object.entries(settings).map(([k, v]) => `${k}=${v}`).join('\n') + '\n', { mode: 0o600 });
  const config = loadConfig(process.env, { root });
  const childEnv = { ...settings, ...stripUndefined(process.env) };

  const logger = createLogger('warn', 'slab5-dev');
  const orm = await openOrm(config.databaseUrl, logger);
  const applied = await migrate(orm);
  say(applied.length ? `migrations applied: ${applied.join(', ')}` : 'database schema is up to date');

  const node = process.execPath;
  const metrics = devMetrics(env);
  // The worker runs under tsx: Temporal bundles the workflows itself, from their .ts paths.
  const worker = startProcess('worker', node, ['--import', 'tsx', resolve(root, 'bin/worker.ts')], { logFile: resolve(dataDir, 'logs/worker.log'), env: { ...childEnv, ...metrics.worker }, cwd: root, inheritOutput: true });
  stoppers.push(worker);
  // The API as deployed: the esbuild bundle of this tree, rebuilt at each start (under a second).
  const api = startProcess('api', node, await builtApiArgs(root), { logFile: resolve(dataDir, 'logs/api.log'), env: { ...childEnv, ...metrics.api }, cwd: root, inheritOutput: true });
  stoppers.push(api);
  await waitFor('API', async () => (await fetch(`${config.publicUrl}/healthz`)).ok, { timeoutMs: 60_000, process: api });
  // A product process that dies takes the stack down with a pointer to its log, rather than
  // leaving half a product running.
  for (const p of [api, worker]) {
    p.child.once('exit', (code) => {
      if (stopping) return;
      console.error(`[slab5 dev] the ${p.name} exited (code ${code}); see ${p.logFile}`);
      void shutdown(1);
    });
  }

  const creds = await devCredentials(orm, config);
  await orm.close(true);

  console.log(`
  Slab5 is running.

  API              ${config.publicUrl}
  API reference    ${config.publicUrl}/docs   (contract: ${config.publicUrl}/openapi.json)
  Temporal UI      ${config.temporalUiUrl ?? '(external Temporal: see your deployment)'}
  Mail inbox       ${inboxUrl ?? '(SMTP_URL: your own mail server)'}   (scheduled BI reports land here)
  Metrics          API ${metrics.urls.api}   worker ${metrics.urls.worker}   Temporal SDK ${metrics.urls.temporalSdk}
  Dev workspace    ${creds.workspace_id}
  Token (all scopes, keep it secret):
    ${creds.token}

  try:  curl -H "Authorization: Bearer ${creds.token}" ${config.publicUrl}/workspace
  CLI:  npx slab5 workspace create --name "Acme" --json
  logs: ${resolve(dataDir, 'logs')}    data: ${dataDir}
  Ctrl-C stops everything.
`);
}

/** First run: a dev workspace with every module and a full-scope token; later runs reuse them. */
async function devCredentials(orm: Awaited<ReturnType<typeof openOrm>>, config: ReturnType<typeof loadConfig>) {
  if (existsSync(credentialsFile)) return JSON.parse(readFileSync(credentialsFile, 'utf8')) as { workspace_id: string; token: string };
  say('first run: creating the dev workspace (provisioned by the provisionWorkspace workflow)...');
  const temporal = await createTemporalClient(config);
  try {
    const ws = await createProvisionedWorkspace({ orm, temporal, taskQueue: config.temporalTaskQueue }, { name: 'Dev Workspace' });
    const token = await createToken(orm.em.fork(), ws.id, SCOPES, 'dev stack');
    const creds = { workspace_id: ws.id, token_id: token.id, token: token.token };
    writeFileSync(credentialsFile, JSON.stringify(creds, null, 2), { mode: 0o600 });
    return creds;
  } finally {
    await temporal.connection.close();
  }
}

const stripUndefined = (env: NodeJS.ProcessEnv) => Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined)) as Record<string, string>;

let stopping = false;
const shutdown = async (code: number) => {
  if (stopping) return;
  stopping = true;
  say('stopping...');
  await stopAll();
  say('stopped.');
  process.exit(code);
};
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

main().catch(async (err) => {
  console.error(err instanceof ConfigError ? `[slab5 dev] ${err.message}` : `[slab5 dev] failed to start: ${(err as Error).stack ?? err}`);
  await shutdown(1);
});
