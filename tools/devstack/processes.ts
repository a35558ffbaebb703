// Child processes of the dev stack and the test harness: started with their output in a log
// file, awaited until they answer, and stopped together.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { connect, createServer, type AddressInfo } from 'node:net';
import { dirname } from 'node:path';

export interface Managed { name: string; child: ChildProcess; logFile: string; stop: () => Promise<void> }

export function startProcess(name: string, command: string, args: string[], opts: { logFile: string; env?: NodeJS.ProcessEnv; cwd?: string; inheritOutput?: boolean }): Managed {
  mkdirSync(dirname(opts.logFile), { recursive: true });
  const log = createWriteStream(opts.logFile, { flags: 'a' });
  const child = spawn(command, args, { cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  // end: false, or the first child to exit would end (and crash) our own stdout.
  if (opts.inheritOutput) { child.stdout!.pipe(process.stdout, { end: false }); child.stderr!.pipe(process.stderr, { end: false }); }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    try { process.kill(-child.pid!, 'SIGTERM'); } catch { /* already gone */ }
    const timer = setTimeout(() => { try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ } }, 10_000);
    await exited;
    clearTimeout(timer);
  };
  return { name, child, logFile: opts.logFile, stop };
}

export function portOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

/** Polls until check() holds; fails naming what it waited for and where its log is. */
export async function waitFor(what: string, check: () => Promise<boolean>, opts: { timeoutMs?: number; process?: Managed } = {}): Promise<void> {
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  while (Date.now() < deadline) {
    if (opts.process && opts.process.child.exitCode !== null) {
      throw new Error(`${what}: the process exited with code ${opts.process.child.exitCode}; see ${opts.process.logFile}`);
    }
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what}: not ready after ${(opts.timeoutMs ?? 60_000) / 1000}s${opts.process ? `; see ${opts.process.logFile}` : ''}`);
}

export async function assertPortFree(port: number, what: string): Promise<void> {
  if (await portOpen(port)) {
    throw new Error(`Port ${port} (${what}) is already in use. Stop what holds it, or point this service elsewhere through its env variable.`);
  }
}

/** A loopback port free at the moment of asking (the system picks it), for a server started next. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((ok) => server.close(() => ok()));
  return port;
}
