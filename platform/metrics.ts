// The process's Prometheus metrics (prom-client) and the HTTP listener that serves them, apart
// from the public API (METRICS_HOST:METRICS_PORT). One registry per process: each layer defines
// its own series on it at import, so a name defined twice fails at start.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Logger } from './logger.ts';

export const metricsRegistry = new Registry();

export { Counter, Gauge, Histogram };

/** Seconds buckets from 5 ms to 30 s: API calls, activities, BI statements. */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export interface MetricsServer { url: string; close: () => Promise<void> }

let defaultsCollected = false;

/** Serves GET /metrics (process metrics included) on its own address until closed. */
export async function serveMetrics(host: string, port: number, logger: Logger): Promise<MetricsServer> {
  if (!defaultsCollected) {
    defaultsCollected = true;
    // CPU, memory, event loop lag, GC, handles: sampled at scrape time, nothing per request.
    collectDefaultMetrics({ register: metricsRegistry, prefix: 'slab5_' });
  }
  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url !== '/metrics' && !req.url?.startsWith('/metrics?'))) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('metrics are at /metrics\n');
      return;
    }
    metricsRegistry.metrics().then(
      (text) => res.writeHead(200, { 'Content-Type': metricsRegistry.contentType }).end(text),
      (err: unknown) => {
        logger.error({ err }, 'metrics collection failed');
        res.writeHead(500, { 'Content-Type': 'text/plain' }).end('metrics collection failed\n');
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => { server.off('error', reject); resolve(); });
  });
  const bound = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${bound}/metrics`;
  logger.info({ url }, 'metrics listening');
  return {
    url,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
