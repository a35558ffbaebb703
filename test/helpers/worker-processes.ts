// Worker processes a test runs itself (on a task queue of its own), so it can SIGKILL one in the
// middle of a workflow without touching the shared test worker.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { hostname } from 'node:os';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');

export interface WorkerProcesses {
  /** Starts bin/worker.ts with the test's environment plus `env`. */
  start: () => ChildProcess;
  /** SIGKILLs the worker (no drain, as a crash) and waits for it to exit. */
  kill: (child: ChildProcess) => Promise<void>;
  /** The identity Temporal records for the worker's tasks. */
  identity: (child: ChildProcess) => string;
  killAll: () => Promise<void>;
}

export function workerProcesses(env: Record<string, string>): WorkerProcesses {
  const started: ChildProcess[] = [];
  const kill = async (child: ChildProcess) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  };
  return {
    start() {
      const child = spawn(process.execPath, ['--import', 'tsx', resolve(root, 'bin/worker.ts')], {
        cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'],
      });
      started.push(child);
      return child;
    },
    kill,
    identity: (child) => `${child.pid}@${hostname()}`,
    async killAll() { for (const child of started) await kill(child); },
  };
}
