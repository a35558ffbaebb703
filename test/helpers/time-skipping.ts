// Temporal's time-skipping test server (installed by bin/setup from PyPI, never downloaded at
// run time) with a worker for the workflows under test. Timers, retry backoff and schedules'
// waits pass in an instant while the workflow is blocked: timer tests never sleep.
import { resolve } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker, type WorkerOptions } from '@temporalio/worker';
import { toolPaths } from '../../tools/devstack/tools.ts';
import { SEARCH_ATTRIBUTES } from '../../platform/search-attributes.ts';
import type { ActivityDeps } from '../../modules/manifest.ts';
import type { Harness } from './harness.ts';

const root = resolve(import.meta.dirname, '../..');

let runtimeInstalled = false;

export async function timeSkippingEnvironment(): Promise<TestWorkflowEnvironment> {
  // The SDK logs every worker state change at INFO; a test wants only what went wrong.
  if (!runtimeInstalled) { Runtime.install({ logger: new DefaultLogger('ERROR') }); runtimeInstalled = true; }
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: toolPaths(root).temporalTestServer } },
  });
  // The product's search attributes, as the dev server has them: a workflow that upserts one
  // fails its task on a server that does not know it.
  const KEYWORD = 2; // temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(SEARCH_ATTRIBUTES.map((key) => [key.name, KEYWORD])),
  });
  return env;
}

/** A worker on the environment running the workflows of `workflowsPath` with these activities. */
export function timeSkippingWorker(env: TestWorkflowEnvironment, taskQueue: string, workflowsPath: string, activities: object, options: Partial<WorkerOptions> = {}): Promise<Worker> {
  return Worker.create({ connection: env.nativeConnection, namespace: env.namespace ?? 'default', taskQueue, workflowsPath, activities, ...options });
}

/** The dependencies a module's activities get in the worker, from the harness's own clients (no seeders: these runs provision nothing). */
export function harnessActivityDeps(h: Harness, config = h.config): ActivityDeps {
  return { config, logger: h.deps.logger, orm: h.deps.orm, s3: h.deps.s3, resources: h.deps.resources, seeders: [], biTables: h.deps.biTables };
}

/** A time-skipping environment with one worker running for a whole test file; `stop()` shuts both down. */
export async function runningTimeSkippingWorker(taskQueue: string, workflowsPath: string, activities: object): Promise<{ env: TestWorkflowEnvironment; stop: () => Promise<void> }> {
  const env = await timeSkippingEnvironment();
  let worker: Worker;
  try {
    worker = await timeSkippingWorker(env, taskQueue, workflowsPath, activities);
  } catch (err) {
    await env.teardown();
    throw err;
  }
  const running = worker.run();
  return { env, stop: async () => { worker.shutdown(); await running; await env.teardown(); } };
}
