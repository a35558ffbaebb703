// Validated process configuration. Every setting comes from the environment; the dev stack
// writes its own settings to .data/dev/stack.env so the CLI and tests find them with no flags.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import ipaddr from 'ipaddr.js';

export interface Config {
  databaseUrl: string;
  temporalAddress: string;
  temporalNamespace: string;
  temporalTaskQueue: string;
  temporalUiUrl: string | null;
  s3Endpoint: string;
  s3Region: string;
  s3Bucket: string;
  s3AccessKeyId: string;
  s3SecretAccessKey: string;
  s3ForcePathStyle: boolean;
  /** The S3 URL clients outside the API's network reach: presigned URLs are signed for it. */
  s3PublicEndpoint: string;
  host: string;
  port: number;
  publicUrl: string;
  logLevel: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';
  bodyLimitBytes: number;
  defaultRateLimitPerSecond: number;
  cursorSecret: string;
  duckdbExtensionDir: string;
  convertWaitMs: number;
  commandRelayIntervalMs: number;
  /** Per asset type overrides of the assets module's size and MIME limits (ASSET_TYPE_LIMITS). */
  assetTypeLimits: AssetTypeLimitOverrides;
  assetRetentionDays: number;
  assetCompleteWaitMs: number;
  /**
   * Private networks webhook endpoints may target (CIDRs). Empty in production: every private,
   * loopback, link-local or CGNAT address is refused. The test harness and the dev stack allow
   * loopback, where their receivers listen; an allowed target may also use plain http.
   */
  webhookAllowPrivateCidrs: string[];
  /** The modules' pollers a worker process runs: all (default), none, or the named ones. */
  workerPollers: 'all' | string[];
  /** BI: where per-workspace DuckDB snapshots are written (each process uses a folder of its own). */
  biSnapshotDir: string;
  /** BI: a snapshot older than this is rebuilt before it answers. */
  biSnapshotTtlMs: number;
  /** BI: a query statement running longer is interrupted (422 query_timeout). */
  biQueryTimeoutMs: number;
  /** BI: memory limit and threads of each query sandbox (a DuckDB instance). */
  biQueryMemoryMb: number;
  biQueryThreads: number;
  /** BI: statements running at once in this process; more wait their turn (within their timeout). */
  biMaxConcurrentQueries: number;
  /** SMTP server scheduled BI reports are mailed through (smtp:// or smtps://); null: deliveries fail saying so. */
  smtpUrl: string | null;
  /** The From of report mails. */
  mailFrom: string;
  /** Where this process serves Prometheus metrics (GET /metrics): never the public port. */
  metricsHost: string;
  /** null: no metrics listener. */
  metricsPort: number | null;
  /** The worker's Temporal SDK Prometheus exporter (on metricsHost); null: off. */
  temporalMetricsPort: number | null;
  /** OTLP/HTTP collector base URL for traces (`<url>/v1/traces`); null: tracing off. */
  otlpEndpoint: string | null;
}

export const ASSET_TYPES = ['document', 'image', 'video', 'attachment'] as const;
export type AssetType = typeof ASSET_TYPES[number];
export interface AssetTypeLimitOverride { max_bytes?: number; mime_types?: string[]; require_checksum?: boolean }
export type AssetTypeLimitOverrides = Partial<Record<AssetType, AssetTypeLimitOverride>>;

/** The largest object one presigned PUT can store (S3's single-request limit). */
export const MAX_ASSET_BYTES = 5 * 1024 ** 3;
/** `type/subtype`, `type/*` or `*\/*`. */
const MIME_RANGE = /^(\*\/\*|[a-z0-9][a-z0-9!#$&^_.+-]*\/(\*|[a-z0-9][a-z0-9!#$&^_.+-]*))$/;

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/** The file the dev stack writes with the settings of the services it started. */
export const devStackEnvFile = (root = process.cwd()) => resolve(root, '.data/dev/stack.env');

export function readEnvFile(path: string): Record<string, string> {
  if (!existsSync(path)) return {};
  const out: Record<string, string> = {};
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (m) out[m[1]!] = m[2]!;
  }
  return out;
}

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env, opts: { root?: string } = {}): Config {
  // Explicit environment wins; the running dev stack's file fills the gaps.
  const merged: Env = { ...readEnvFile(devStackEnvFile(opts.root)), ...stripEmpty(env) };
  const problems: string[] = [];

  const url = (name: string, protocols: string[], fallback?: string): string => {
    const raw = merged[name] ?? fallback;
    if (!raw) {
      problems.push(`${name} is required (for example ${protocols[0]}//host:port)`);
      return '';
    }
    try {
      const u = new URL(raw);
      if (!protocols.includes(u.protocol)) problems.push(`${name} must use ${protocols.join(' or ')}, got "${u.protocol}"`);
    } catch {
      problems.push(`${name} is not a valid URL: "${raw}"`);
    }
    return raw;
  };
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = merged[name];
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
      return fallback;
    }
    return n;
  };
  const str = (name: string, fallback?: string): string => {
    const raw = merged[name] ?? fallback;
    if (raw === undefined) {
      problems.push(`${name} is required`);
      return '';
    }
    return raw;
  };
  const hostPort = (name: string): string => {
    const raw = merged[name];
    if (!raw) {
      problems.push(`${name} is required (host:port of the Temporal frontend, for example 127.0.0.1:7233)`);
      return '';
    }
    if (!/^[A-Za-z0-9.\-\[\]:]+:\d{1,5}$/.test(raw)) problems.push(`${name} must be host:port, got "${raw}"`);
    return raw;
  };

  const cidrs = (name: string): string[] => {
    const raw = (merged[name] ?? '').trim();
    if (raw === '' || raw === 'none') return [];
    const list = raw.split(',').map((c) => c.trim()).filter(Boolean);
    const bad = list.filter((c) => !ipaddr.isValidCIDR(c));
    if (bad.length) problems.push(`${name} must be a comma-separated list of CIDRs (for example 127.0.0.0/8,::1/128) or none, got "${bad.join(', ')}"`);
    return list;
  };

  const names = (name: string): 'all' | string[] => {
    const raw = (merged[name] ?? 'all').trim();
    if (raw === 'all') return 'all';
    if (raw === 'none') return [];
    const list = raw.split(',').map((n) => n.trim()).filter(Boolean);
    const bad = list.filter((n) => !/^[a-z][a-z0-9-]*$/.test(n));
    if (bad.length) problems.push(`${name} must be all, none or a comma-separated list of poller names, got "${bad.join(', ')}"`);
    return list;
  };

  const logLevels = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
  const logLevel = (merged.LOG_LEVEL ?? 'info') as Config['logLevel'];
  if (!logLevels.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${logLevels.join(', ')}, got "${logLevel}"`);

  const port = int('PORT', 3000, 0, 65535);
  const host = str('HOST', '127.0.0.1');
  const forcePath = (merged.S3_FORCE_PATH_STYLE ?? 'true').toLowerCase();
  if (!['true', 'false'].includes(forcePath)) problems.push(`S3_FORCE_PATH_STYLE must be true or false, got "${forcePath}"`);
  const optionalPort = (name: string): number | null => (merged[name] === undefined ? null : int(name, 0, 1, 65535));
  const metricsPort = optionalPort('METRICS_PORT');
  const temporalMetricsPort = optionalPort('TEMPORAL_METRICS_PORT');
  // Metrics stay off the public listener: a scraper's address is not the API's.
  if (metricsPort !== null && metricsPort === port) problems.push(`METRICS_PORT must differ from PORT (${port}): metrics are not served on the public port`);
  if (temporalMetricsPort !== null && (temporalMetricsPort === port || temporalMetricsPort === metricsPort)) {
    problems.push(`TEMPORAL_METRICS_PORT must differ from PORT and METRICS_PORT, got ${temporalMetricsPort}`);
  }
  const temporalUi = merged.TEMPORAL_UI_URL ? url('TEMPORAL_UI_URL', ['http:', 'https:']) : null;

  const config: Config = {
    databaseUrl: url('DATABASE_URL', ['postgres:', 'postgresql:']),
    temporalAddress: hostPort('TEMPORAL_ADDRESS'),
    temporalNamespace: str('TEMPORAL_NAMESPACE', 'default'),
    temporalTaskQueue: str('TEMPORAL_TASK_QUEUE', 'slab5'),
    temporalUiUrl: temporalUi,
    s3Endpoint: url('S3_ENDPOINT', ['http:', 'https:']),
    s3Region: str('S3_REGION', 'us-east-1'),
    s3Bucket: str('S3_BUCKET', 'slab5'),
    s3AccessKeyId: str('AWS_ACCESS_KEY_ID'),
    s3SecretAccessKey: str('AWS_SECRET_ACCESS_KEY'),
    s3ForcePathStyle: forcePath === 'true',
    // Signing for the address the API itself uses is right whenever clients share its network.
    s3PublicEndpoint: merged.S3_PUBLIC_ENDPOINT ? url('S3_PUBLIC_ENDPOINT', ['http:', 'https:']) : merged.S3_ENDPOINT ?? '',
    host,
    port,
    publicUrl: merged.PUBLIC_URL ?? `http://${host}:${port}`,
    logLevel,
    bodyLimitBytes: int('BODY_LIMIT_BYTES', 1024 * 1024, 1024, 100 * 1024 * 1024),
    defaultRateLimitPerSecond: int('DEFAULT_RATE_LIMIT_PER_SECOND', 100, 1, 1_000_000),
    cursorSecret: str('CURSOR_SECRET', 'slab5-dev-cursor-secret'),
    duckdbExtensionDir: str('DUCKDB_EXTENSION_DIR', resolve(opts.root ?? process.cwd(), '.tools/duckdb_extensions')),
    convertWaitMs: int('CONVERT_WAIT_MS', 10_000, 0, 600_000),
    commandRelayIntervalMs: int('COMMAND_RELAY_INTERVAL_MS', 1000, 50, 600_000),
    assetTypeLimits: assetLimits(merged.ASSET_TYPE_LIMITS, problems),
    assetRetentionDays: int('ASSET_RETENTION_DAYS', 30, 0, 3650),
    assetCompleteWaitMs: int('ASSET_COMPLETE_WAIT_MS', 10_000, 0, 600_000),
    webhookAllowPrivateCidrs: cidrs('WEBHOOK_ALLOW_PRIVATE_CIDRS'),
    workerPollers: names('WORKER_POLLERS'),
    biSnapshotDir: str('BI_SNAPSHOT_DIR', resolve(opts.root ?? process.cwd(), '.data/bi-snapshots')),
    biSnapshotTtlMs: int('BI_SNAPSHOT_TTL_MS', 600_000, 0, 86_400_000),
    biQueryTimeoutMs: int('BI_QUERY_TIMEOUT_MS', 30_000, 100, 600_000),
    biQueryMemoryMb: int('BI_QUERY_MEMORY_MB', 256, 16, 65_536),
    biQueryThreads: int('BI_QUERY_THREADS', 2, 1, 64),
    biMaxConcurrentQueries: int('BI_MAX_CONCURRENT_QUERIES', 2, 1, 256),
    smtpUrl: merged.SMTP_URL ? url('SMTP_URL', ['smtp:', 'smtps:']) : null,
    mailFrom: str('MAIL_FROM', 'Slab5 reports <reports@slab5.localhost>'),
    metricsHost: str('METRICS_HOST', '127.0.0.1'),
    metricsPort,
    temporalMetricsPort,
    otlpEndpoint: merged.OTEL_EXPORTER_OTLP_ENDPOINT ? url('OTEL_EXPORTER_OTLP_ENDPOINT', ['http:', 'https:']) : null,
  };
  if (problems.length) throw new ConfigError(problems);
  return config;
}

/** ASSET_TYPE_LIMITS: a JSON object `{"image": {"max_bytes": 1048576, "mime_types": ["image/png"]}}`. */
function assetLimits(raw: string | undefined, problems: string[]): AssetTypeLimitOverrides {
  if (raw === undefined) return {};
  const bad = (why: string) => { problems.push(`ASSET_TYPE_LIMITS ${why}`); return {}; };
  let parsed: unknown;
  try { parsed = JSON.parse(raw); } catch { return bad(`is not JSON: "${raw}"`); }
  if (!isObject(parsed)) return bad('must be a JSON object keyed by asset type');
  const out: AssetTypeLimitOverrides = {};
  for (const [type, limit] of Object.entries(parsed)) {
    if (!(ASSET_TYPES as readonly string[]).includes(type)) return bad(`names "${type}", not one of ${ASSET_TYPES.join(', ')}`);
    if (!isObject(limit)) return bad(`.${type} must be an object`);
    const { max_bytes, mime_types, require_checksum, ...rest } = limit;
    if (Object.keys(rest).length) return bad(`.${type} has unknown keys ${Object.keys(rest).join(', ')} (max_bytes, mime_types, require_checksum)`);
    if (max_bytes !== undefined && !(Number.isInteger(max_bytes) && (max_bytes as number) >= 0 && (max_bytes as number) <= MAX_ASSET_BYTES)) {
      return bad(`.${type}.max_bytes must be an integer between 0 and ${MAX_ASSET_BYTES}`);
    }
    if (mime_types !== undefined && !(Array.isArray(mime_types) && mime_types.every((m) => typeof m === 'string' && MIME_RANGE.test(m)))) {
      return bad(`.${type}.mime_types must be an array of lower-case MIME types or ranges (image/png, image/*, */*)`);
    }
    if (require_checksum !== undefined && typeof require_checksum !== 'boolean') return bad(`.${type}.require_checksum must be true or false`);
    out[type as AssetType] = limit as AssetTypeLimitOverride;
  }
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function stripEmpty(env: Env): Env {
  return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
}

/** The names loadConfig reads: docker-compose.yml must use only these (a test checks it). */
export const CONFIG_ENV_NAMES = [
  'DATABASE_URL', 'TEMPORAL_ADDRESS', 'TEMPORAL_NAMESPACE', 'TEMPORAL_TASK_QUEUE', 'TEMPORAL_UI_URL',
  'S3_ENDPOINT', 'S3_REGION', 'S3_BUCKET', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'S3_FORCE_PATH_STYLE',
  'HOST', 'PORT', 'PUBLIC_URL', 'LOG_LEVEL', 'BODY_LIMIT_BYTES', 'DEFAULT_RATE_LIMIT_PER_SECOND', 'CURSOR_SECRET',
  'DUCKDB_EXTENSION_DIR', 'CONVERT_WAIT_MS', 'COMMAND_RELAY_INTERVAL_MS', 'S3_PUBLIC_ENDPOINT', 'ASSET_TYPE_LIMITS',
  'ASSET_RETENTION_DAYS', 'ASSET_COMPLETE_WAIT_MS', 'WEBHOOK_ALLOW_PRIVATE_CIDRS',
  'WORKER_POLLERS',
  'BI_SNAPSHOT_DIR', 'BI_SNAPSHOT_TTL_MS', 'BI_QUERY_TIMEOUT_MS', 'BI_QUERY_MEMORY_MB', 'BI_QUERY_THREADS', 'BI_MAX_CONCURRENT_QUERIES',
  'SMTP_URL', 'MAIL_FROM',
  'METRICS_HOST', 'METRICS_PORT', 'TEMPORAL_METRICS_PORT', 'OTEL_EXPORTER_OTLP_ENDPOINT',
] as const;
