// What a benchmark suite receives: the running API, a workspace of its own with a full-scope
// token, the real clients (to seed data with SQL), and request helpers that fail on an error.
import type { Deps } from '../app/deps.ts';
import type { Result } from './measure.ts';

export interface BenchContext {
  deps: Deps;
  base: string;
  workspaceId: string;
  token: string;
  get: (path: string) => Promise<void>;
  post: (path: string, body: unknown, idempotencyKey?: string) => Promise<void>;
  say: (message: string) => void;
  /** The harness's worker process, whose memory a suite may watch (/proc/<pid>/status). */
  workerPid: number;
}

export type BenchSuite = (ctx: BenchContext) => Promise<Result[]>;
