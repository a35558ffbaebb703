// bin/dev's metrics listeners: on by default on loopback, one port per process, each accepted by
// the configuration its process loads, and served where bin/dev says they are.
import test from 'ava';
import { loadConfig } from '../../platform/config.ts';
import { createLogger } from '../../platform/logger.ts';
import { serveMetrics } from '../../platform/metrics.ts';
import { DEV_METRICS_PORT, devMetrics } from '../../tools/devstack/metrics.ts';

const base = { DATABASE_URL: 'postgres://x@y/z', TEMPORAL_ADDRESS: 'x:1', S3_ENDPOINT: 'http://x', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x', PORT: '3000' };
const slot = Number(process.env.SLAB5_TEST_SLOT ?? 0);

test('by default: the API on 9464, the worker on 9465, its Temporal SDK exporter on 9466, all on loopback', (t) => {
  const m = devMetrics({});
  t.deepEqual(m.urls, {
    api: `http://127.0.0.1:${DEV_METRICS_PORT}/metrics`, worker: `http://127.0.0.1:${DEV_METRICS_PORT + 1}/metrics`, temporalSdk: `http://127.0.0.1:${DEV_METRICS_PORT + 2}/metrics`,
  });
  const api = loadConfig({ ...base, ...m.api }, { root: '/nonexistent' });
  const worker = loadConfig({ ...base, ...m.worker }, { root: '/nonexistent' });
  t.like(api, { metricsHost: '127.0.0.1', metricsPort: 9464, temporalMetricsPort: null });
  t.like(worker, { metricsHost: '127.0.0.1', metricsPort: 9465, temporalMetricsPort: 9466 });
});

test('METRICS_HOST, METRICS_PORT and TEMPORAL_METRICS_PORT move them (IPv6 hosts bracketed)', (t) => {
  const m = devMetrics({ METRICS_HOST: '::1', METRICS_PORT: '7000', TEMPORAL_METRICS_PORT: '7100' });
  t.deepEqual(m.urls, { api: 'http://[::1]:7000/metrics', worker: 'http://[::1]:7001/metrics', temporalSdk: 'http://[::1]:7100/metrics' });
  t.like(loadConfig({ ...base, ...m.worker }, { root: '/nonexistent' }), { metricsPort: 7001, temporalMetricsPort: 7100 });
});

test('the printed URL is where the process serves its metrics', async (t) => {
  const m = devMetrics({ METRICS_PORT: String(21464 + slot * 100) });
  const config = loadConfig({ ...base, ...m.api }, { root: '/nonexistent' });
  const server = await serveMetrics(config.metricsHost, config.metricsPort!, createLogger('silent', 'test'));
  try {
    const res = await fetch(m.urls.api);
    t.is(res.status, 200);
    t.regex(await res.text(), /^# HELP slab5_/m);
  } finally {
    await server.close();
  }
});
