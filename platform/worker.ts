import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker, Runtime, makeTelemetryFilterString, DefaultLogger } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities/index.ts';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

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

export async function createWorker(config: Config, deps: ActivityDeps, taskQueue = config.temporalTaskQueue): Promise<{ worker: Worker; connection: NativeConnection }> {
  installRuntime(config.logLevel, deps.logger);
  const connection = await NativeConnection.connect({ address: config.temporalAddress });
  const worker = await Worker.create({
    connection,
    namespace: config.temporalNamespace,
    taskQueue,
    workflowsPath: WORKFLOWS_PATH,
    activities: createActivities(deps),
    bundlerOptions: { ignoreModules: [] },
  });
  return { worker, connection };
}
