// Runs ava for bin/test in a process group of its own, so the run always ends: when ava reports
// its inactivity timeout it should exit, but a test file's own children (worker processes,
// proxies) can keep it waiting forever, and the services bin/test started then never stop.
// After the timeout message ava gets a grace period, then its whole group is killed; the group
// is killed as well once ava exits, so nothing a test started outlives the run.
import { spawn } from 'node:child_process';

export interface AvaRun {
  /** ava's exit code (1 when it had to be killed). */
  code: number;
  /** Everything ava wrote to stdout (the summary is read from it). */
  output: string;
  /** Whether ava hung after its timeout and was killed. */
  killed: boolean;
}

export interface AvaRunOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** How long ava may take to exit after reporting a timeout. */
  graceMs?: number;
  /** Receives ava's stdout as it comes (bin/test passes it on). */
  onOutput?: (chunk: string) => void;
}

const TIMED_OUT = /Timed out while running tests/;

/** `command args…` as ava; answers once it exited or was killed, and stops with `stop()`. */
export function runAva(command: string, args: string[], opts: AvaRunOptions): { done: Promise<AvaRun>; stop: () => void } {
  const child = spawn(command, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'inherit'], detached: true });
  const killGroup = (signal: NodeJS.Signals) => { try { process.kill(-child.pid!, signal); } catch { /* already gone */ } };
  let output = '';
  let killed = false;
  let watchdog: NodeJS.Timeout | null = null;
  child.stdout!.on('data', (chunk: Buffer) => {
    const text = chunk.toString();
    output += text;
    opts.onOutput?.(text);
    if (!watchdog && TIMED_OUT.test(output)) {
      watchdog = setTimeout(() => { killed = true; killGroup('SIGKILL'); }, opts.graceMs ?? 60_000);
    }
  });
  const done = new Promise<AvaRun>((resolve) => {
    child.once('exit', (code) => {
      if (watchdog) clearTimeout(watchdog);
      // Whatever a test file left running in the group goes with ava.
      killGroup('SIGKILL');
      resolve({ code: killed ? 1 : code ?? 1, output, killed });
    });
  });
  return { done, stop: () => killGroup('SIGKILL') };
}
