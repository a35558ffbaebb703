// The worker process: runs Slab5's workflows and activities on the configured task queue, keeps
// the modules' Temporal Schedules, relays the workflow commands the API could not start, and runs
// the modules' pollers (the webhook outbox relay). Metrics: the product's on METRICS_PORT (activities,
// webhook attempts, backlogs, pool), the Temporal SDK's on TEMPORAL_METRICS_PORT.
import { Client } from '@temporalio/client';
import { loadConfig } from '../platform/config.ts';
import { createLogger } from '../platform/logger.ts';
import { serveMetrics } from '../platform/metrics.ts';
import { watchBacklog } from '../kernel/backlog-metrics.ts';
import { createS3Client } from '../platform/s3.ts';
import { openOrm } from '../app/orm.ts';
import { registry } from '../app/modules.ts';
import { createWorker } from '../app/worker.ts';
import { ensureSchedules } from '../app/schedules.ts';
import { createWorkflowRunner, startCommandRelay } from '../app/workflow-runner.ts';
import { selectPollers, startPollers } from '../app/pollers.ts';
import { activityLogFields, activityRequestId } from '../app/activity-context.ts';
import { startTracing, workflowClientInterceptors } from '../platform/tracing.ts';

const config = loadConfig();
// Lines written while an activity runs carry its workflow id and the request that started it.
const logger = createLogger(config.logLevel, 'slab5-worker', undefined, activityLogFields);
// Before the ORM connects: SQL spans need the driver patched as it loads.
const tracing = await startTracing(config.otlpEndpoint, 'slab5-worker', activityRequestId);
const orm = await openOrm(config.databaseUrl, logger);
const s3 = createS3Client(config);
const pollerSpecs = selectPollers(registry.pollers, config.workerPollers);
const { worker, connection } = await createWorker(config, { orm, logger, s3 });
watchBacklog(orm, logger);
const metrics = config.metricsPort === null ? null : await serveMetrics(config.metricsHost, config.metricsPort, logger);
const client = new Client({ connection, namespace: config.temporalNamespace, interceptors: { workflow: workflowClientInterceptors() } });
await ensureSchedules(client, config.temporalTaskQueue, registry.schedules);
// The client is on the worker's own connection: the workflows it starts may begin here, eagerly.
const runner = createWorkflowRunner({ orm, temporal: client, taskQueue: config.temporalTaskQueue, logger, eagerStart: true });
const relay = startCommandRelay(runner, logger, config.commandRelayIntervalMs);
const pollers = startPollers(pollerSpecs, { config, logger, orm, workflows: runner }, logger);
logger.info({ taskQueue: config.temporalTaskQueue, address: config.temporalAddress, pollers: pollerSpecs.map((p) => p.name) }, 'worker running');
// Worker.run() handles SIGINT/SIGTERM itself: it drains in-flight tasks, then resolves.
await worker.run();
await pollers.stop();
await relay.stop();
await metrics?.close();
await connection.close();
s3.destroy();
await orm.close(true);
await tracing.shutdown();
logger.info('worker stopped');
