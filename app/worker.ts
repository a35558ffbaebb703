import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker, Runtime, makeTelemetryFilterString, DefaultLogger } from '@temporalio/worker';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Context } from '@temporalio/activity';
import type { Config } from '../platform/config.ts';
import type { MikroORM } from '../platform/db.ts';
import type { Logger } from '../platform/logger.ts';
import { registry } from './modules.ts';
import { activityInterceptors, outsideActivity } from './activity-context.ts';
import { OpenTelemetryActivityInboundInterceptor } from '@temporalio/interceptors-opentelemetry';
import { tracingEnabled } from '../platform/tracing.ts';

export const WORKFLOWS_PATH = fileURLToPath(new URL('./workflows.ts', import.meta.url));
const WORKFLOW_INTERCEPTORS_PATH = fileURLToPath(new URL('./workflow-interceptors.ts', import.meta.url));

export interface WorkerDeps { logger: Logger; orm: MikroORM; s3: S3Client }

/** Every workflow a manifest names must be in the bundle entry (app/workflows.ts), and only those. */
export async function assertWorkflowBundle(): Promise<void> {
  const exported = Object.keys(await import('./workflows.ts'));
  const missing = registry.workflows.filter((w) => !exported.includes(w));
  const undeclared = exported.filter((w) => !registry.workflows.includes(w));
  if (missing.length) throw new Error(`app/workflows.ts does not export the workflows ${missing.join(', ')} that a module declares: add its export line.`);
  if (undeclared.length) throw new Error(`app/workflows.ts exports ${undeclared.join(', ')}, which no module's manifest declares.`);
}

let runtimeInstalled = false;
/**
 * The SDK's own lines (workflow/activity failures, worker state) go out as JSON through pino; its
 * metrics (task latencies, slots, polls, workflow and activity outcomes) on its Prometheus
 * exporter when TEMPORAL_METRICS_PORT is set. Once per process.
 */
function installRuntime(config: Config, logger: Logger) {
  const level = config.logLevel;
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  // The SDK's INFO lines (webpack stats, state changes) drown the product's own logs.
  const sdkLevel = level === 'debug' || level === 'trace' ? 'DEBUG' : 'WARN';
  const sdk = logger.child({ component: 'temporal-sdk' });
  const toPino: Record<string, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' };
  Runtime.install({
    logger: new DefaultLogger(sdkLevel, (entry) => outsideActivity(() => sdk[toPino[entry.level] ?? 'info'](entry.meta ?? {}, entry.message))),
    telemetryOptions: {
      logging: { filter: makeTelemetryFilterString({ core: 'WARN' }), forward: {} },
      ...(config.temporalMetricsPort === null ? {} : {
        metrics: { prometheus: { bindAddress: hostPort(config.metricsHost, config.temporalMetricsPort), countersTotalSuffix: true, unitSuffix: true, useSecondsForDurations: true } },
      }),
    },
  });
}

export async function createWorker(config: Config, deps: WorkerDeps, taskQueue = config.temporalTaskQueue): Promise<{ worker: Worker; connection: NativeConnection }> {
  installRuntime(config, deps.logger);
  await assertWorkflowBundle();
  const connection = await NativeConnection.connect({ address: config.temporalAddress });
  const worker = await Worker.create({
    connection,
    namespace: config.temporalNamespace,
    taskQueue,
    workflowsPath: WORKFLOWS_PATH,
    activities: registry.activities({ ...deps, config }),
    bundlerOptions: { ignoreModules: [] },
    interceptors: {
      workflowModules: [WORKFLOW_INTERCEPTORS_PATH],
      // Ours first (outermost): the activity's span starts inside its request id scope.
      activity: [activityInterceptors(deps.logger), ...(tracingEnabled() ? [(ctx: Context) => ({ inbound: new OpenTelemetryActivityInboundInterceptor(ctx) })] : [])],
    },
  });
  return { worker, connection };
}

const hostPort = (host: string, port: number) => `${host.includes(':') ? `[${host}]` : host}:${port}`;
