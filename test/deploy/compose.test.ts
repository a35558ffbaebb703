// docker-compose.yml and the Dockerfile agree with the code: api, worker and migrate get only
// the variables loadConfig reads, all it requires, values it accepts, and they run entry points
// that exist. Docker is not needed: the files are parsed, not run.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import test from 'ava';
import { parse } from 'yaml';
import { CONFIG_ENV_NAMES, ConfigError, loadConfig } from '../../platform/config.ts';
import { SEARCH_ATTRIBUTE_FLAGS } from '../../platform/search-attributes.ts';

const root = resolve(import.meta.dirname, '../..');
const read = (path: string) => readFileSync(resolve(root, path), 'utf8');
// Compose resolves YAML merge keys (<<: *anchor); so must we.
const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, Service>; configs?: Record<string, { content?: string }> };
const APP_SERVICES = ['api', 'worker', 'migrate'] as const;

/** The variables loadConfig cannot do without: what an empty environment's error names. */
function requiredNames(): string[] {
  try {
    loadConfig({}, { root: '/nonexistent' });
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.map((p) => p.split(' ')[0]!);
    throw err;
  }
  return [];
}
const REQUIRED = requiredNames();

interface Service {
  image?: string;
  healthcheck?: { test?: string | string[] };
  deploy?: { replicas?: number };
  expose?: (string | number)[];
  ports?: string[];
  configs?: { source: string; target: string }[];
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
  t.deepEqual([...REQUIRED].sort(), ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'DATABASE_URL', 'S3_ENDPOINT', 'TEMPORAL_ADDRESS'], 'what loadConfig requires');
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
  for (const name of ['postgres', 'temporal-schema', 'temporal', 'temporal-ui', 'temporal-admin-tools', 's3', 's3-bucket', 'migrate', 'lb', 'prometheus']) t.truthy(compose.services[name], `no ${name} service`);
  t.regex(service('postgres').image ?? '', /^postgres:\d+/);
  t.regex(service('temporal').image ?? '', /^temporalio\/server:\d/);
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
  // The api runs the bundle the image builds from bin/api.ts; the worker runs under tsx.
  t.deepEqual(run.api, ['node', '--enable-source-maps', '.build/api.mjs']);
  t.deepEqual(run.worker, ['node', '--import', 'tsx', 'bin/worker.ts']);
  t.deepEqual(cmd, ['node', '--enable-source-maps', '.build/api.mjs'], 'the image runs the api by default');
  const build = /^RUN\s+npm run build\s*$/m.exec(dockerfile);
  t.truthy(build, 'the image builds the api bundle');
  t.true(build!.index > dockerfile.search(/^COPY \. \.\s*$/m), 'the bundle is built from the copied sources');
  const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
  t.is(scripts.build, 'node --import tsx bin/build.ts');
  for (const entry of ['bin/build.ts', 'bin/api.ts', run.worker.at(-1)!]) t.true(existsSync(resolve(root, entry)), `${entry} does not exist`);
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
  for (const dir of ['node_modules', '.tools', '.data', '.build', '.git']) t.true(ignored.includes(dir), `${dir} is not ignored`);
  t.false(ignored.some((l) => ['api', 'bin', 'platform', 'domain', 'migrations', 'workflows', 'activities'].includes(l.replace(/\/$/, ''))), 'source folders must reach the image');
});

test('maintained images only: Temporal\'s server on schemas its admin tools set up, not the deprecated auto-setup image', (t) => {
  for (const [name, s] of Object.entries(compose.services)) {
    if (s.image) t.notRegex(s.image, /auto-setup/, `${name} runs the deprecated auto-setup image`);
    if (s.image) t.regex(s.image, /:[\w.-]*\d/, `${name}: a pinned version, not latest`);
  }
  const server = service('temporal').image!.split(':')[1]!;
  const tools = service('temporal-schema').image ?? '';
  t.regex(tools, /^temporalio\/admin-tools:/);
  t.true(tools.split(':')[1]!.startsWith(`${server}-`), 'the schema tool of the server\'s release');
  const script = words(service('temporal-schema').command).join(' ');
  for (const db of ['temporal', 'temporal_visibility']) t.true(script.includes(db), `${db} is set up`);
  t.regex(script, /setup-schema -v 0\.0/);
  t.regex(script, /update-schema -d \$\$S\/temporal\/versioned/);
  t.regex(script, /update-schema -d \$\$S\/visibility\/versioned/);
  const deps = service('temporal').depends_on as Record<string, { condition?: string }>;
  t.is(deps['temporal-schema']?.condition, 'service_completed_successfully');
  t.regex(words(service('temporal-admin-tools').command).join(' '), /namespace create \$\$T/, 'the default namespace is created');
});

test('long-running services have health checks; api and worker run two replicas each', (t) => {
  for (const name of ['postgres', 'temporal', 's3', 'api', 'worker', 'lb', 'prometheus']) t.truthy(service(name).healthcheck?.test, `${name} has no healthcheck`);
  for (const name of ['api', 'worker']) {
    t.true((service(name).deploy?.replicas ?? 1) >= 2, `${name} runs at least two replicas`);
    // A fixed host port would stop the second replica from starting.
    t.deepEqual(service(name).ports ?? [], [], `${name} publishes no host port`);
  }
  const lb = compose.configs?.[service('lb').configs?.[0]?.source ?? '']?.content ?? '';
  t.regex(lb, new RegExp(`dynamic a api ${environment('api').PORT}\\b`), 'the load balancer spreads over every api replica');
  t.true(service('lb').ports?.some((p) => p.endsWith(`:${environment('api').PORT}`)));
});

test('metrics listen on their own port in api and worker, which Prometheus scrapes on every replica', (t) => {
  const secrets = { POSTGRES_PASSWORD: 'pw', S3_SECRET_ACCESS_KEY: 's3-secret', CURSOR_SECRET: 'cursor-secret' };
  const configOf = (name: string) => loadConfig(Object.fromEntries(Object.entries(environment(name)).map(([k, v]) => [k, interpolate(v, secrets)])), { root: '/nonexistent' });
  const api = configOf('api');
  const worker = configOf('worker');
  t.is(api.metricsHost, '0.0.0.0');
  t.truthy(api.metricsPort);
  t.not(api.metricsPort, api.port);
  t.truthy(worker.metricsPort);
  t.truthy(worker.temporalMetricsPort, 'the worker exports the Temporal SDK\'s metrics');
  const exposed = (name: string) => (service(name).expose ?? []).map(String);
  t.true(exposed('api').includes(String(api.metricsPort)));
  t.true(exposed('worker').includes(String(worker.metricsPort)) && exposed('worker').includes(String(worker.temporalMetricsPort)));
  const prometheus = parse(compose.configs?.[service('prometheus').configs?.[0]?.source ?? '']?.content ?? '') as {
    scrape_configs: { job_name: string; dns_sd_configs?: { names: string[]; port: number }[]; static_configs?: { targets: string[] }[] }[];
  };
  const scraped = prometheus.scrape_configs.flatMap((j) => (j.dns_sd_configs ?? []).flatMap((d) => d.names.map((n) => `${n}:${d.port}`)));
  for (const target of [`api:${api.metricsPort}`, `worker:${worker.metricsPort}`, `worker:${worker.temporalMetricsPort}`]) t.true(scraped.includes(target), `Prometheus does not scrape ${target}`);
  t.true(prometheus.scrape_configs.some((j) => j.static_configs?.some((c) => c.targets.includes('temporal:9090'))), 'the Temporal server\'s metrics');
  t.is(environment('temporal').PROMETHEUS_ENDPOINT, '0.0.0.0:9090');
});

test('presigned URLs name an S3 endpoint clients reach, which the s3 service publishes', (t) => {
  for (const name of ['api', 'worker']) {
    const value = interpolate(environment(name).S3_PUBLIC_ENDPOINT ?? '', {});
    t.truthy(value, `${name} sets S3_PUBLIC_ENDPOINT`);
    t.not(new URL(value).hostname, 's3', 'not the internal name');
    t.true(service('s3').ports?.some((p) => p.endsWith(`:${new URL(value).port}`)), 'the s3 service publishes that port');
  }
});

test('scheduled reports go through the mail relay service by default, with a health check', (t) => {
  const secrets = { POSTGRES_PASSWORD: 'pw', S3_SECRET_ACCESS_KEY: 's3-secret', CURSOR_SECRET: 'cursor-secret' };
  const worker = loadConfig(Object.fromEntries(Object.entries(environment('worker')).map(([k, v]) => [k, interpolate(v, secrets)])), { root: '/nonexistent' });
  const smtp = new URL(worker.smtpUrl!);
  t.is(smtp.hostname, 'mail', 'the worker mails through the mail service');
  t.true(service('mail').expose?.map(String).includes(smtp.port), 'on the port the relay listens on');
  t.truthy(service('mail').healthcheck?.test);
  t.regex(service('mail').image ?? '', /:v?\d+\.\d+\.\d+$/, 'a pinned image');
  // An operator's own relay replaces it.
  const own = loadConfig(Object.fromEntries(Object.entries(environment('worker')).map(([k, v]) => [k, interpolate(v, { ...secrets, SMTP_URL: 'smtps://u:p@smtp.example.com:465' })])), { root: '/nonexistent' });
  t.is(own.smtpUrl, 'smtps://u:p@smtp.example.com:465');
});
