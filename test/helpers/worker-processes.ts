// Worker processes of a test's own (bin/worker.ts on a task queue of its own, with no pollers),
// so a test can SIGKILL them without touching the shared test worker, and without them taking
// other tests' work (a poller would start webhook deliveries on this queue).
import { randomUUID } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');

export interface WorkerProcesses {
  queue: string;
  start: () => ChildProcess;
  kill: (child: ChildProcess) => Promise<void>;
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
    start() {
      const child = spawn(process.execPath, ['--import', 'tsx', resolve(root, 'bin/worker.ts')], {
        cwd: root, env: { ...process.env, TEMPORAL_TASK_QUEUE: queue, WORKER_POLLERS: 'none' }, stdio: ['ignore', 'ignore', 'inherit'],
      });
      children.push(child);
      return child;
    },
    kill,
    async killAll() { for (const child of children) await kill(child); },
  };
}
