// loadConfig as a pure function of an explicit environment: defaults, every validation, and all
// problems reported in one error. root '/nonexistent' keeps the dev stack's env file out of it.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { ConfigError, loadConfig, CONFIG_ENV_NAMES } from '../../platform/config.ts';

const VALID = {
  DATABASE_URL: 'postgresql://slab5:secret@db.internal:5432/slab5',
  TEMPORAL_ADDRESS: 'temporal.internal:7233',
  S3_ENDPOINT: 'http://s3.internal:8333',
  AWS_ACCESS_KEY_ID: 'key-id',
  AWS_SECRET_ACCESS_KEY: 'key-secret',
} as const;
const opts = { root: '/nonexistent' };

function configError(t: import('ava').ExecutionContext, env: Record<string, string | undefined>): ConfigError {
  const err = t.throws(() => loadConfig(env, opts), { instanceOf: ConfigError });
  return err as ConfigError;
}

test('a valid environment loads, with defaults for everything optional', (t) => {
  const config = loadConfig({ ...VALID }, opts);
  t.deepEqual(config, {
    databaseUrl: VALID.DATABASE_URL,
    temporalAddress: VALID.TEMPORAL_ADDRESS,
    temporalNamespace: 'default',
    temporalTaskQueue: 'slab5',
    temporalUiUrl: null,
    s3Endpoint: VALID.S3_ENDPOINT,
    s3Region: 'us-east-1',
    s3Bucket: 'slab5',
    s3AccessKeyId: 'key-id',
    s3SecretAccessKey: 'key-secret',
    s3ForcePathStyle: true,
    s3PublicEndpoint: VALID.S3_ENDPOINT,
    host: '127.0.0.1',
    port: 3000,
    publicUrl: 'http://127.0.0.1:3000',
    logLevel: 'info',
    bodyLimitBytes: 1024 * 1024,
    defaultRateLimitPerSecond: 100,
    cursorSecret: 'slab5-dev-cursor-secret',
    duckdbExtensionDir: '/nonexistent/.tools/duckdb_extensions',
    convertWaitMs: 10_000,
    commandRelayIntervalMs: 1000,
    assetTypeLimits: {},
    assetRetentionDays: 30,
    assetCompleteWaitMs: 10_000,
    webhookAllowPrivateCidrs: [],
    workerPollers: 'all',
    biSnapshotDir: '/nonexistent/.data/bi-snapshots',
    biSnapshotTtlMs: 600_000,
    biQueryTimeoutMs: 30_000,
    biQueryMemoryMb: 256,
    biQueryThreads: 2,
    biMaxConcurrentQueries: 2,
    smtpUrl: null,
    mailFrom: 'Slab5 reports <reports@slab5.localhost>',
    metricsHost: '127.0.0.1',
    metricsPort: null,
    temporalMetricsPort: null,
    otlpEndpoint: null,
  });
});

test('SMTP_URL takes smtp or smtps URLs, naming anything else', (t) => {
  const config = loadConfig({ ...VALID, SMTP_URL: 'smtp://127.0.0.1:1025', MAIL_FROM: 'Reports <r@example.com>' }, opts);
  t.is(config.smtpUrl, 'smtp://127.0.0.1:1025');
  t.is(config.mailFrom, 'Reports <r@example.com>');
  const err = t.throws(() => loadConfig({ ...VALID, SMTP_URL: 'http://mail' }, opts));
  t.regex(err!.message, /SMTP_URL must use smtp: or smtps:/);
});

test('metrics listen only where configured, never on the public port; traces export only where configured', (t) => {
  const on = loadConfig({ ...VALID, METRICS_HOST: '0.0.0.0', METRICS_PORT: '9464', TEMPORAL_METRICS_PORT: '9465' }, opts);
  t.is(on.metricsHost, '0.0.0.0');
  t.is(on.metricsPort, 9464);
  t.is(on.temporalMetricsPort, 9465);
  const same = configError(t, { ...VALID, PORT: '3000', METRICS_PORT: '3000' });
  t.true(same.problems.some((p) => p.startsWith('METRICS_PORT must differ from PORT')));
  const clash = configError(t, { ...VALID, METRICS_PORT: '9464', TEMPORAL_METRICS_PORT: '9464' });
  t.true(clash.problems.some((p) => p.startsWith('TEMPORAL_METRICS_PORT')));
  t.is(loadConfig({ ...VALID, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }, opts).otlpEndpoint, 'http://collector:4318');
  t.true(configError(t, { ...VALID, OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' }).problems.some((p) => p.startsWith('OTEL_EXPORTER_OTLP_ENDPOINT')));
  const bad = configError(t, { ...VALID, METRICS_PORT: 'nine' });
  t.true(bad.problems.some((p) => p.startsWith('METRICS_PORT must be an integer')));
});

test('S3_PUBLIC_ENDPOINT and the asset settings are read', (t) => {
  const config = loadConfig({
    ...VALID, S3_PUBLIC_ENDPOINT: 'https://files.example.com/s3', ASSET_RETENTION_DAYS: '0', ASSET_COMPLETE_WAIT_MS: '0',
    ASSET_TYPE_LIMITS: '{"image": {"max_bytes": 1024, "mime_types": ["image/png", "image/*"]}, "document": {"require_checksum": true}}',
  }, opts);
  t.is(config.s3PublicEndpoint, 'https://files.example.com/s3');
  t.is(config.s3Endpoint, VALID.S3_ENDPOINT, 'the API itself still talks to the internal endpoint');
  t.is(config.assetRetentionDays, 0);
  t.is(config.assetCompleteWaitMs, 0);
  t.deepEqual(config.assetTypeLimits, { image: { max_bytes: 1024, mime_types: ['image/png', 'image/*'] }, document: { require_checksum: true } });
});

test('WEBHOOK_ALLOW_PRIVATE_CIDRS takes CIDRs (or none) and refuses anything else, naming it', (t) => {
  t.deepEqual(loadConfig({ ...VALID, WEBHOOK_ALLOW_PRIVATE_CIDRS: '127.0.0.0/8, ::1/128' }, opts).webhookAllowPrivateCidrs, ['127.0.0.0/8', '::1/128']);
  t.deepEqual(loadConfig({ ...VALID, WEBHOOK_ALLOW_PRIVATE_CIDRS: 'none' }, opts).webhookAllowPrivateCidrs, []);
  const err = configError(t, { ...VALID, WEBHOOK_ALLOW_PRIVATE_CIDRS: '127.0.0.1,10.0.0.0/8' });
  t.true(err.problems.some((p) => p.startsWith('WEBHOOK_ALLOW_PRIVATE_CIDRS') && p.includes('127.0.0.1')));
});

test('explicit values override the defaults', (t) => {
  const config = loadConfig({
    ...VALID, DATABASE_URL: 'postgres://u@h/db', TEMPORAL_ADDRESS: '[::1]:7233', PORT: '8080', HOST: '0.0.0.0',
    LOG_LEVEL: 'debug', S3_FORCE_PATH_STYLE: 'FALSE', TEMPORAL_UI_URL: 'https://temporal.example.com', S3_BUCKET: 'b',
  }, opts);
  t.is(config.databaseUrl, 'postgres://u@h/db');
  t.is(config.temporalAddress, '[::1]:7233');
  t.is(config.port, 8080);
  t.is(config.publicUrl, 'http://0.0.0.0:8080');
  t.is(config.logLevel, 'debug');
  t.false(config.s3ForcePathStyle);
  t.is(config.temporalUiUrl, 'https://temporal.example.com');
  t.is(config.s3Bucket, 'b');
});

test('empty strings count as unset', (t) => {
  const config = loadConfig({ ...VALID, PORT: '', LOG_LEVEL: '' }, opts);
  t.is(config.port, 3000);
  t.is(config.logLevel, 'info');
  const err = configError(t, { ...VALID, DATABASE_URL: '' });
  t.regex(err.message, /DATABASE_URL is required/);
});

const BAD: Array<[string, Record<string, string>]> = [
  ['DATABASE_URL', { DATABASE_URL: 'not a url' }],
  ['DATABASE_URL', { DATABASE_URL: 'mysql://u:p@h:3306/db' }],
  ['DATABASE_URL', { DATABASE_URL: 'http://h:5432/db' }],
  ['TEMPORAL_ADDRESS', { TEMPORAL_ADDRESS: 'temporal.internal' }],
  ['TEMPORAL_ADDRESS', { TEMPORAL_ADDRESS: 'http://temporal:7233' }],
  ['PORT', { PORT: '65536' }],
  ['PORT', { PORT: '-1' }],
  ['PORT', { PORT: '80.5' }],
  ['PORT', { PORT: 'eighty' }],
  ['LOG_LEVEL', { LOG_LEVEL: 'verbose' }],
  ['S3_FORCE_PATH_STYLE', { S3_FORCE_PATH_STYLE: 'yes' }],
  ['S3_FORCE_PATH_STYLE', { S3_FORCE_PATH_STYLE: '1' }],
  ['S3_ENDPOINT', { S3_ENDPOINT: 'ftp://s3.internal' }],
  ['TEMPORAL_UI_URL', { TEMPORAL_UI_URL: 'temporal-ui:8080' }],
  ['BODY_LIMIT_BYTES', { BODY_LIMIT_BYTES: '10' }],
  ['S3_PUBLIC_ENDPOINT', { S3_PUBLIC_ENDPOINT: 'files.example.com' }],
  ['ASSET_RETENTION_DAYS', { ASSET_RETENTION_DAYS: '-1' }],
  ['ASSET_COMPLETE_WAIT_MS', { ASSET_COMPLETE_WAIT_MS: 'soon' }],
  ['ASSET_TYPE_LIMITS', { ASSET_TYPE_LIMITS: 'image=1024' }],
  ['ASSET_TYPE_LIMITS', { ASSET_TYPE_LIMITS: '["image"]' }],
  ['ASSET_TYPE_LIMITS', { ASSET_TYPE_LIMITS: '{"images": {}}' }],
  ['ASSET_TYPE_LIMITS', { ASSET_TYPE_LIMITS: '{"image": {"max_bytes": -1}}' }],
  ['ASSET_TYPE_LIMITS', { ASSET_TYPE_LIMITS: '{"image": {"max_bytes": 6000000000}}' }],
  ['ASSET_TYPE_LIMITS', { ASSET_TYPE_LIMITS: '{"image": {"mime_types": ["PNG"]}}' }],
  ['ASSET_TYPE_LIMITS', { ASSET_TYPE_LIMITS: '{"image": {"mime_types": "image/png"}}' }],
  ['ASSET_TYPE_LIMITS', { ASSET_TYPE_LIMITS: '{"image": {"require_checksum": "yes"}}' }],
  ['ASSET_TYPE_LIMITS', { ASSET_TYPE_LIMITS: '{"image": {"max_size": 1}}' }],
  ['BI_QUERY_TIMEOUT_MS', { BI_QUERY_TIMEOUT_MS: '0' }],
  ['BI_QUERY_MEMORY_MB', { BI_QUERY_MEMORY_MB: 'lots' }],
  ['BI_MAX_CONCURRENT_QUERIES', { BI_MAX_CONCURRENT_QUERIES: '0' }],
];
for (const [name, override] of BAD) {
  test(`${name}=${JSON.stringify(Object.values(override)[0])} is a ConfigError that names ${name}`, (t) => {
    const err = configError(t, { ...VALID, ...override });
    t.is(err.name, 'ConfigError');
    t.is(err.problems.length, 1, err.message);
    t.true(err.problems[0]!.startsWith(name), err.problems[0]);
    t.true(err.message.includes(name));
  });
}

test('every missing required variable is named', (t) => {
  const err = configError(t, {});
  for (const name of ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'S3_ENDPOINT', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']) {
    t.true(err.problems.some((p) => p.startsWith(`${name} is required`)), `${name} missing from: ${err.message}`);
  }
  t.is(err.problems.length, 5, err.message);
});

test('all problems are reported at once', (t) => {
  const err = configError(t, {
    ...VALID,
    DATABASE_URL: 'mysql://h/db',
    TEMPORAL_ADDRESS: 'temporal',
    PORT: '70000',
    LOG_LEVEL: 'loud',
    S3_FORCE_PATH_STYLE: 'maybe',
    AWS_SECRET_ACCESS_KEY: undefined,
  });
  const named = ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'PORT', 'LOG_LEVEL', 'S3_FORCE_PATH_STYLE', 'AWS_SECRET_ACCESS_KEY'];
  t.is(err.problems.length, named.length, err.message);
  for (const name of named) t.true(err.problems.some((p) => p.startsWith(name)), `${name} missing from: ${err.message}`);
  for (const name of named) t.true(err.message.includes(name));
});

test('the dev stack\'s env file fills gaps, and the explicit environment wins', (t) => {
  const root = mkdtempSync(join(tmpdir(), 'slab5-config-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, '.data/dev'), { recursive: true });
  writeFileSync(join(root, '.data/dev/stack.env'), Object.entries({ ...VALID, PORT: '4000', S3_BUCKET: 'from-file' }).map(([k, v]) => `${k}=${v}`).join('\n'));
  const fromFile = loadConfig({}, { root });
  t.is(fromFile.databaseUrl, VALID.DATABASE_URL);
  t.is(fromFile.port, 4000);
  t.is(fromFile.duckdbExtensionDir, join(root, '.tools/duckdb_extensions'));
  const overridden = loadConfig({ S3_BUCKET: 'explicit', PORT: '' }, { root });
  t.is(overridden.s3Bucket, 'explicit');
  t.is(overridden.port, 4000, 'an empty explicit value does not hide the file\'s value');
});

test('CONFIG_ENV_NAMES lists exactly the names loadConfig reads', (t) => {
  // Each listed name, given a bad value, must change the outcome: either a problem that names it
  // or a different config. A name loadConfig ignores would do neither.
  const base = loadConfig({ ...VALID }, opts);
  for (const name of CONFIG_ENV_NAMES) {
    let changed = false;
    try {
      changed = JSON.stringify(loadConfig({ ...VALID, [name]: 'zz-not-valid' }, opts)) !== JSON.stringify(base);
    } catch (err) {
      changed = err instanceof ConfigError && err.problems.some((p) => p.startsWith(name));
    }
    t.true(changed, `${name} has no effect on loadConfig`);
  }
});
