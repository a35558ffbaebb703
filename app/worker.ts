import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker, Runtime, makeTelemetryFilterString, DefaultLogger } from '@temporalio/worker';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Config } from '../platform/config.ts';
import type { MikroORM } from '../platform/db.ts';
import type { Logger } from '../platform/logger.ts';
import { registry } from './modules.ts';

export const WORKFLOWS_PATH = fileURLToPath(new URL('./workflows.ts', import.meta.url));

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
/** The SDK's own lines (workflow/activity failures, worker state) go out as JSON through pino. */
function installRuntime(level: string, logger: Logger) {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  // The SDK's INFO lines (webpack stats, state changes) drown the product's own logs.
  const sdkLevel = level === 'debug' || level === 'trace' ? 'DEBUG' : 'WARN';
  const sdk = logger.child({ component: 'temporal-sdk' });
  const toPino: Record<string, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' };
  Runtime.install({
    logger: new DefaultLogger(sdkLevel, (entry) => sdk[toPino[entry.level] ?? 'info'](entry.meta ?? {}, entry.message)),
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'WARN' }), forward: {} } },
  });
}

export async function createWorker(config: Config, deps: WorkerDeps, taskQueue = config.temporalTaskQueue): Promise<{ worker: Worker; connection: NativeConnection }> {
  installRuntime(config.logLevel, deps.logger);
  await assertWorkflowBundle();
  const connection = await NativeConnection.connect({ address: config.temporalAddress });
  const worker = await Worker.create({
    connection,
    namespace: config.temporalNamespace,
    taskQueue,
    workflowsPath: WORKFLOWS_PATH,
    activities: registry.activities({ ...deps, config }),
    bundlerOptions: { ignoreModules: [] },
  });
  return { worker, connection };
}
