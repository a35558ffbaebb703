// Worker processes of a test's own (bin/worker.ts on a task queue of its own, with no pollers),
// so a test can SIGKILL them without touching the shared test worker, and without them taking
// other tests' work (a poller would start webhook deliveries on this queue).
import { randomUUID } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { hostname } from 'node:os';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');

export interface WorkerProcesses {
  /** The task queue the workers poll (boot the test's harness on it). */
  queue: string;
  /** Starts bin/worker.ts with the test's environment plus `env`. */
  start: (env?: Record<string, string>) => ChildProcess;
  /** SIGKILLs the worker (no drain, as a crash) and waits for it to exit. */
  kill: (child: ChildProcess) => Promise<void>;
  /** The identity Temporal records for the worker's tasks. */
  identity: (child: ChildProcess) => string;
  killAll: () => Promise<void>;
}

export function workerProcesses(name: string): WorkerProcesses {
  const queue = `slab5-test-${name}-${randomUUID()}`;
  const children: ChildProcess[] = [];
  const kill = async (child: ChildProcess) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  };
  return {
    queue,
    start(env = {}) {
      const child = spawn(process.execPath, ['--import', 'tsx', resolve(root, 'bin/worker.ts')], {
        cwd: root, env: { ...process.env, ...env, TEMPORAL_TASK_QUEUE: queue, WORKER_POLLERS: 'none' }, stdio: ['ignore', 'ignore', 'inherit'],
      });
      children.push(child);
      return child;
    },
    kill,
    identity: (child) => `${child.pid}@${hostname()}`,
    async killAll() { for (const child of children) await kill(child); },
  };
}
