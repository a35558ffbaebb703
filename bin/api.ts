// The API process: Koa on the configured host and port; Prometheus metrics on their own address
// when METRICS_PORT is set; traces over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is.
import { loadConfig } from '../platform/config.ts';
import { serveMetrics } from '../platform/metrics.ts';
import { startTracing } from '../platform/tracing.ts';
import { createDeps } from '../app/deps.ts';
import { asyncStdout, createLogger } from '../platform/logger.ts';
import { buildApp } from '../app/api.ts';
import { runUntilSignal } from './lib/signals.ts';
import { limitHeapGrowth } from '../platform/heap.ts';

limitHeapGrowth();

const config = loadConfig();
// Before the ORM connects: SQL spans need the driver patched as it loads.
const tracing = await startTracing(config.otlpEndpoint, 'slab5-api');
// The access log is one line per request: written asynchronously (see asyncStdout).
const deps = await createDeps(config, createLogger(config.logLevel, 'slab5', asyncStdout()));
const { app } = buildApp(deps);
const metrics = config.metricsPort === null ? null : await serveMetrics(config.metricsHost, config.metricsPort, deps.logger);
const server = app.listen(config.port, config.host, () => deps.logger.info({ url: config.publicUrl }, 'api listening'));
runUntilSignal(deps.logger, async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await metrics?.close();
  await deps.close();
  await tracing.shutdown();
});
