// The worker process: runs Slab5's workflows and activities on the configured task queue.
import { loadConfig } from '../platform/config.ts';
import { initOrm } from '../platform/db.ts';
import { createLogger } from '../platform/logger.ts';
import { createWorker } from '../platform/worker.ts';
import { ensureMaintenanceSchedules } from '../platform/schedules.ts';
import { Client } from '@temporalio/client';

const config = loadConfig();
const logger = createLogger(config.logLevel, 'slab5-worker');
const orm = await initOrm(config.databaseUrl, logger);
const { worker, connection } = await createWorker(config, { orm, logger });
const client = new Client({ connection, namespace: config.temporalNamespace });
await ensureMaintenanceSchedules(client, config.temporalTaskQueue);
logger.info({ taskQueue: config.temporalTaskQueue, address: config.temporalAddress }, 'worker running');
// Worker.run() handles SIGINT/SIGTERM itself: it drains in-flight tasks, then resolves.
await worker.run();
await connection.close();
await orm.close(true);
logger.info('worker stopped');
