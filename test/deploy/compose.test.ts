// docker-compose.yml and the Dockerfile agree with the code: api, worker and migrate get only
// the variables loadConfig reads, all it requires, values it accepts, and they run entry points
// that exist. Docker is not needed: the files are parsed, not run.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import test from 'ava';
import { parse } from 'yaml';
import { CONFIG_ENV_NAMES, loadConfig } from '../../platform/config.ts';
import { SEARCH_ATTRIBUTE_FLAGS } from '../../platform/search-attributes.ts';

const root = resolve(import.meta.dirname, '../..');
const read = (path: string) => readFileSync(resolve(root, path), 'utf8');
// Compose resolves YAML merge keys (<<: *anchor); so must we.
const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, Service> };
const APP_SERVICES = ['api', 'worker', 'migrate'] as const;
const REQUIRED = ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'S3_ENDPOINT', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'];

interface Service {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
}

function service(name: string): Service {
  const s = compose.services[name];
  if (!s) throw new Error(`docker-compose.yml has no service "${name}"`);
  return s;
}

/** A service's environment as name → raw value, whichever form (map or KEY=VALUE list) it uses. */
function environment(name: string): Record<string, string> {
  const env = service(name).environment ?? {};
  if (Array.isArray(env)) return Object.fromEntries(env.map((e) => { const i = e.indexOf('='); return i < 0 ? [e, ''] : [e.slice(0, i), e.slice(i + 1)]; }));
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

/** Compose's interpolation: ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, $$. */
function interpolate(value: string, vars: Record<string, string>): string {
  return value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g, (whole, name?: string, op?: string, arg?: string) => {
    if (whole === '$$') return '$';
    const v = vars[name!];
    const unset = op?.startsWith(':') ? !v : v === undefined;
    if (!unset) return v!;
    if (op?.endsWith('?')) throw new Error(`compose would refuse to start: ${name} ${arg}`);
    return op ? arg! : '';
  });
}

function words(cmd: string | string[] | undefined): string[] {
  if (cmd === undefined) return [];
  return Array.isArray(cmd) ? cmd : cmd.split(/\s+/).filter(Boolean);
}

/** The exec-form CMD of the Dockerfile's final stage. */
function dockerfileCmd(text: string): string[] {
  const cmds = [...text.matchAll(/^CMD\s+(\[.*\])\s*$/gm)];
  const last = cmds.at(-1);
  if (!last) throw new Error('the Dockerfile has no exec-form CMD');
  return JSON.parse(last[1]!) as string[];
}

test('api, worker and migrate use only variables loadConfig reads, and every one it requires', (t) => {
  const known = new Set<string>(CONFIG_ENV_NAMES);
  for (const name of APP_SERVICES) {
    const names = Object.keys(environment(name));
    t.true(names.length > 0, `${name} has no environment`);
    t.deepEqual(names.filter((n) => !known.has(n)), [], `${name} sets variables loadConfig never reads`);
    for (const required of REQUIRED) t.true(names.includes(required), `${name} lacks ${required}`);
  }
});

test('with its secrets provided, each app service\'s environment passes loadConfig', (t) => {
  const secrets = { POSTGRES_PASSWORD: 'pw', S3_SECRET_ACCESS_KEY: 's3-secret', CURSOR_SECRET: 'cursor-secret' };
  for (const name of APP_SERVICES) {
    const env = Object.fromEntries(Object.entries(environment(name)).map(([k, v]) => [k, interpolate(v, secrets)]));
    const config = loadConfig(env, { root: '/nonexistent' });
    t.is(new URL(config.databaseUrl).hostname, 'postgres', `${name}: DATABASE_URL names the postgres service`);
    t.is(config.temporalAddress, 'temporal:7233');
    t.is(new URL(config.s3Endpoint).hostname, 's3');
    t.is(config.cursorSecret, 'cursor-secret', `${name} must not run on the development cursor secret`);
    // Without the secrets, compose itself refuses to start.
    t.throws(() => Object.values(environment(name)).map((v) => interpolate(v, {})), { message: /refuse to start/ });
  }
  const api = loadConfig(Object.fromEntries(Object.entries(environment('api')).map(([k, v]) => [k, interpolate(v, secrets)])), { root: '/nonexistent' });
  t.is(api.host, '0.0.0.0', 'the api must listen beyond the container\'s loopback');
});

test('the services the app depends on exist, and api and worker wait for the one-shot setup', (t) => {
  for (const name of ['postgres', 'temporal', 'temporal-ui', 'temporal-admin-tools', 's3', 's3-bucket', 'migrate']) t.truthy(compose.services[name], `no ${name} service`);
  t.regex(service('postgres').image ?? '', /^postgres:\d+/);
  t.regex(service('temporal').image ?? '', /^temporalio\/auto-setup:/);
  t.regex(service('temporal-ui').image ?? '', /^temporalio\/ui:/);
  for (const name of ['api', 'worker']) {
    const deps = service(name).depends_on;
    t.false(Array.isArray(deps), `${name}: depends_on needs conditions`);
    for (const oneShot of ['migrate', 'temporal-admin-tools', 's3-bucket']) {
      t.is((deps as Record<string, { condition?: string }>)[oneShot]?.condition, 'service_completed_successfully', `${name} must wait for ${oneShot}`);
    }
  }
  t.deepEqual(words(service('migrate').command).slice(-2), ['bin/slab5.js', 'migrate']);
  t.true(existsSync(resolve(root, 'bin/slab5.js')));
});

test('the search attributes the workflows use are registered, as Keyword', (t) => {
  const script = words(service('temporal-admin-tools').command).join(' ');
  t.true(SEARCH_ATTRIBUTE_FLAGS.length >= 2);
  for (const flag of SEARCH_ATTRIBUTE_FLAGS) {
    const [name, type] = flag.split('=');
    t.true(script.includes(`search-attribute create`) && script.includes(`--name ${name} --type ${type}`), `${flag} is not registered by temporal-admin-tools`);
  }
});

test('the bucket the app uses is the one the s3-bucket job creates', (t) => {
  const bucket = environment('api').S3_BUCKET;
  t.truthy(bucket);
  for (const name of APP_SERVICES) t.is(environment(name).S3_BUCKET, bucket);
  t.true(words(service('s3-bucket').command).join(' ').includes(`s3.bucket.create -name ${bucket}`));
});

test('api and worker build from the Dockerfile and run entry points that exist in bin/', (t) => {
  t.true(existsSync(resolve(root, 'Dockerfile')), 'no Dockerfile at the repository root');
  const dockerfile = read('Dockerfile');
  for (const name of [...APP_SERVICES]) {
    const build = service(name).build;
    const context = typeof build === 'string' ? build : build?.context;
    const file = typeof build === 'string' ? 'Dockerfile' : build?.dockerfile ?? 'Dockerfile';
    t.truthy(build, `${name} is not built`);
    t.is(resolve(root, context ?? '', file), resolve(root, 'Dockerfile'), `${name} does not build from ./Dockerfile`);
  }
  const cmd = dockerfileCmd(dockerfile);
  const run = { api: words(service('api').command), worker: words(service('worker').command) };
  if (!run.api.length) run.api = cmd;
  t.deepEqual(run.api, ['node', '--import', 'tsx', 'bin/api.ts']);
  t.deepEqual(run.worker, ['node', '--import', 'tsx', 'bin/worker.ts']);
  t.deepEqual(cmd, ['node', '--import', 'tsx', 'bin/api.ts'], 'the image runs the api by default');
  for (const entry of [run.api.at(-1)!, run.worker.at(-1)!]) t.true(existsSync(resolve(root, entry)), `${entry} does not exist`);
  t.regex(dockerfile, /^FROM\s+(--platform=\S+\s+)?node:20[-.\w]*/m, 'Node 20 image');
  t.regex(dockerfile, /^COPY\s+package\.json\s+package-lock\.json/m);
  t.regex(dockerfile, /^RUN\s+npm ci\b/m);
});

test('the image carries the DuckDB postgres extension for the DuckDB version the app uses', (t) => {
  const dockerfile = read('Dockerfile');
  const nodeApi = (JSON.parse(read('package.json')) as { dependencies: Record<string, string> }).dependencies['@duckdb/node-api'] ?? '';
  const duckdbVersion = /^(\d+\.\d+\.\d+)/.exec(nodeApi)?.[1];
  t.truthy(duckdbVersion, `@duckdb/node-api version "${nodeApi}"`);
  t.true(dockerfile.includes(`duckdb-extension-postgres-scanner==${duckdbVersion}`), 'the extension wheel matches DuckDB');
  const dir = environment('api').DUCKDB_EXTENSION_DIR;
  t.truthy(dir);
  t.is(environment('worker').DUCKDB_EXTENSION_DIR, dir);
  // WORKDIR /app + relative destination = the directory the app is told to load from.
  const dest = /\s(\S*\/v[\d.]+\/linux_amd64\/postgres_scanner\.duckdb_extension)\s*$/m.exec(dockerfile)?.[1] ?? '';
  t.is(resolve('/app', dest), `${dir}/v${duckdbVersion}/linux_amd64/postgres_scanner.duckdb_extension`);
});

test('.dockerignore keeps host-built folders out of the image', (t) => {
  t.true(existsSync(resolve(root, '.dockerignore')));
  const ignored = read('.dockerignore').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  for (const dir of ['node_modules', '.tools', '.data', '.git']) t.true(ignored.includes(dir), `${dir} is not ignored`);
  t.false(ignored.some((l) => ['api', 'bin', 'platform', 'domain', 'migrations', 'workflows', 'activities'].includes(l.replace(/\/$/, ''))), 'source folders must reach the image');
});
