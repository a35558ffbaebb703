// The dev stack's metrics listeners: on by default, on loopback, one port per process (the API and
// the worker cannot share one): the API on METRICS_PORT (default 9464), the worker on the next
// port, the worker's Temporal SDK exporter on TEMPORAL_METRICS_PORT (default the one after).
// Elsewhere metrics stay off unless METRICS_PORT is set (platform/config.ts).

export const DEV_METRICS_PORT = 9464;

export interface DevMetrics {
  /** Each process's additions to the stack's environment. */
  api: Record<string, string>;
  worker: Record<string, string>;
  /** What `bin/dev` prints. */
  urls: { api: string; worker: string; temporalSdk: string };
}

export function devMetrics(env: NodeJS.ProcessEnv): DevMetrics {
  const host = env.METRICS_HOST ?? '127.0.0.1';
  const base = env.METRICS_PORT ? Number(env.METRICS_PORT) : DEV_METRICS_PORT;
  const ports = { api: base, worker: base + 1, temporalSdk: env.TEMPORAL_METRICS_PORT ? Number(env.TEMPORAL_METRICS_PORT) : base + 2 };
  const at = (port: number) => `http://${host.includes(':') ? `[${host}]` : host}:${port}/metrics`;
  return {
    api: { METRICS_HOST: host, METRICS_PORT: String(ports.api) },
    worker: { METRICS_HOST: host, METRICS_PORT: String(ports.worker), TEMPORAL_METRICS_PORT: String(ports.temporalSdk) },
    urls: { api: at(ports.api), worker: at(ports.worker), temporalSdk: at(ports.temporalSdk) },
  };
}
