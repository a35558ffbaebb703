// The BI engine of one process: the trusted builder, the catalog and its planner, the snapshot
// store and the gate, created on first use and closed at shutdown. The API's runBiQuery and
// (issue 14) exports run the same statements: runBiQuery through `run` (a compiled or client
// statement, on the workspace's sandbox over its snapshot, rows kept or streamed with `onRows`),
// an export through `withOutputSandbox` (a sandbox of its own that may write the export's file).
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { DuckDBInstance, DuckDBValue } from '@duckdb/node-api';
import type { Config } from '../../../platform/config.ts';
import type { MikroORM } from '../../../platform/db.ts';
import type { Logger } from '../../../platform/logger.ts';
import type { BiTables } from '../../../kernel/bi-tables.ts';
import { openTrustedBuilder, type TrustedBuilder } from './trusted.ts';
import { declaredSources, resolveCatalog, type Catalog } from './catalog.ts';
import { planSql, type PlannedSql } from './plan-sql.ts';
import { SnapshotStore, type PinnedFiles, type SnapshotStats, type TableNeeds } from './snapshots.ts';
import { openMockSandbox, openPlanner, openWorkspaceSandbox, queryTimeout, runStatement, type ResultColumn, type SandboxLimits } from './sandbox.ts';
import { Gate } from './gate.ts';
import { observeBiQuery } from './metrics.ts';

export interface EngineDeps { config: Config; orm: MikroORM; logger: Logger; biTables: BiTables }

export interface RunOptions {
  maxRows: number;
  /** The request field DuckDB's errors name. */
  field: string;
  /** Streams each batch of rows instead of keeping them. */
  onRows?: (rows: unknown[][], columns: ResultColumn[]) => Promise<void>;
  /** Overrides BI_QUERY_TIMEOUT_MS (an export may run longer than an interactive query). */
  timeoutMs?: number;
}

/** What a sandbox holds: snapshot tables, or a mock dataset's rows. */
type MockSource = { mock: { columns: { name: string; duckType: string }[]; rows: (string | null)[][] } };
export type SandboxSource = { needs: TableNeeds } | MockSource;

export interface EngineResult { columns: ResultColumn[]; rows: unknown[][]; truncated: boolean; snapshotAt: Date | null }

export interface BiEngine {
  catalog: () => Promise<Catalog>;
  /** Checks a client's SQL (one read-only SELECT over the catalog): its columns and tables, or a 422. */
  plan: (sql: string, field: string) => Promise<PlannedSql>;
  /** Runs a statement over the workspace's snapshot of the tables it needs. */
  run: (workspaceId: string, needs: TableNeeds, sql: string, params: DuckDBValue[], opts: RunOptions) => Promise<EngineResult>;
  /**
   * Runs `work` on a sandbox of its own over the workspace's snapshot of the tables needed (or a
   * mock dataset's rows) that may write `output` and no other file (an export's DuckDB COPY);
   * closed once `work` ends. It holds one of the running-statement places meanwhile.
   */
  withOutputSandbox: <T>(workspaceId: string, source: SandboxSource, output: string, timeoutMs: number, work: (instance: DuckDBInstance) => Promise<T>) => Promise<T>;
  /** Runs a statement over a mock dataset's rows (table `mock_rows`). */
  runMock: (columns: { name: string; duckType: string }[], rows: (string | null)[][], sql: string, params: DuckDBValue[], opts: RunOptions) => Promise<EngineResult>;
  stats: () => Promise<SnapshotStats>;
  close: () => Promise<void>;
}

/** An export sandbox's memory (it spills past it). */
const EXPORT_MEMORY_MB = 128;

interface Ready { builder: TrustedBuilder; catalog: Catalog; planner: DuckDBInstance; store: SnapshotStore }

export function createBiEngine(deps: EngineDeps): BiEngine {
  const { config } = deps;
  const root = resolve(config.biSnapshotDir);
  const dir = join(root, `p${process.pid}-${randomBytes(3).toString('hex')}`);
  const limits: SandboxLimits = {
    memoryMb: config.biQueryMemoryMb, threads: config.biQueryThreads, timeoutMs: config.biQueryTimeoutMs,
    noExtensionsDir: join(dir, 'no-extensions'),
  };
  // An export's sandbox reads the whole snapshot once: DuckDB would keep every block it read
  // cached up to the memory limit (+200 to 290 MB for a 1M-row CSV at 256 MB, measured by the
  // bi-exports bench). A smaller limit evicts them as the scan moves on (64 MB was too small for
  // the COPY's pinned buffers: out of memory); what a large sort or aggregate needs beyond it
  // spills beside the export's file (removed with it) instead of failing.
  // One thread: a COPY into a pipe goes at the reader's pace, and each more thread only buffers
  // its own batches meanwhile (1M-row CSV into a drained pipe: 1.1 s and +70 MB with one thread,
  // 1.7 s and +145 MB with two, measured on this 2-core machine).
  const outputLimits = (output: string): SandboxLimits => ({ ...limits, threads: 1, memoryMb: Math.min(limits.memoryMb, EXPORT_MEMORY_MB), spillDir: `${output}.spill` });
  // Each running statement and each build holds one of libuv's threads (4 by default): two
  // statements and one build leave one for the rest of the process.
  const gate = new Gate(config.biMaxConcurrentQueries);
  const buildGate = new Gate(1);
  let ready: Promise<Ready> | null = null;
  let closed = false;

  const start = async (): Promise<Ready> => {
    sweepDeadProcesses(root);
    mkdirSync(dir, { recursive: true });
    const builder = await openTrustedBuilder(config, deps.orm, join(dir, 'build-spill'));
    try {
      const sources = await declaredSources(deps.orm, deps.biTables);
      const { catalog, planner } = await resolveCatalog(deps.biTables, sources, builder, join(dir, 'catalog.duckdb'), (file) => openPlanner(file, limits));
      const store = new SnapshotStore({ orm: deps.orm, builder, buildGate, catalog, limits, dir, ttlMs: config.biSnapshotTtlMs, logger: deps.logger });
      return { builder, catalog, planner, store };
    } catch (err) {
      builder.close();
      throw err;
    }
  };
  const engine = (): Promise<Ready> => {
    if (closed) return Promise.reject(new Error('the BI engine is closed'));
    // A failed start (the database unreachable, say) is retried by the next call.
    ready ??= start().catch((err) => { ready = null; throw err; });
    return ready;
  };

  const execute = async (instance: DuckDBInstance, sql: string, params: DuckDBValue[], opts: RunOptions) => {
    const timeoutMs = opts.timeoutMs ?? config.biQueryTimeoutMs;
    const leave = await gate.enter(timeoutMs, () => queryTimeout(timeoutMs));
    try {
      return await runStatement(instance, sql, params, { ...opts, timeoutMs });
    } finally {
      leave();
    }
  };

  return {
    catalog: async () => (await engine()).catalog,
    plan: async (sql, field) => planSql((await engine()).planner, sql, field, config.biQueryTimeoutMs),
    async run(workspaceId, needs, sql, params, opts) {
      const { store } = await engine();
      const started = performance.now();
      let ok = false;
      const lease = await store.lease(workspaceId, needs).catch((err) => { observeBiQuery('snapshot', false, started, null); throw err; });
      try {
        const result = { ...await execute(lease.instance, sql, params, opts), snapshotAt: lease.snapshotAt };
        ok = true;
        return result;
      } finally {
        lease.release();
        observeBiQuery('snapshot', ok, started, lease.snapshotAt);
      }
    },
    async withOutputSandbox(workspaceId, source, output, timeoutMs, work) {
      const started = performance.now();
      let ok = false;
      let pinned: PinnedFiles | null = null;
      try {
        if ('needs' in source) pinned = await (await engine()).store.pin(workspaceId, source.needs);
        const leave = await gate.enter(timeoutMs, () => queryTimeout(timeoutMs));
        try {
          const instance = pinned ? await openWorkspaceSandbox(pinned.files, outputLimits(output), output) : await openMockSandbox((source as MockSource).mock.columns, (source as MockSource).mock.rows, outputLimits(output), output);
          try {
            const result = await work(instance);
            ok = true;
            return result;
          } finally {
            instance.closeSync();
          }
        } finally {
          leave();
        }
      } finally {
        pinned?.release();
        observeBiQuery('needs' in source ? 'snapshot' : 'mock', ok, started, pinned?.snapshotAt ?? null);
      }
    },
    async runMock(columns, rows, sql, params, opts) {
      const started = performance.now();
      let ok = false;
      const instance = await openMockSandbox(columns, rows, limits);
      try {
        const result = { ...await execute(instance, sql, params, opts), snapshotAt: null };
        ok = true;
        return result;
      } finally {
        instance.closeSync();
        observeBiQuery('mock', ok, started, null);
      }
    },
    stats: async () => ({ ...(await engine()).store.stats }),
    async close() {
      closed = true;
      const current = ready;
      ready = null;
      if (current) {
        const r = await current.catch(() => null);
        if (r) { r.store.close(); r.planner.closeSync(); r.builder.close(); }
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Folders of processes that ended without closing their engine (a crash, a kill): removed. */
function sweepDeadProcesses(root: string): void {
  mkdirSync(root, { recursive: true });
  for (const name of readdirSync(root)) {
    const pid = Number(/^p(\d+)-/.exec(name)?.[1]);
    if (!pid || pid === process.pid || alive(pid)) continue;
    rmSync(join(root, name), { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
