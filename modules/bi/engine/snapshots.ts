// Per-workspace snapshots: each catalog table a query needs is copied (the columns asked for so
// far, one workspace's rows) into a DuckDB file of its own, then served from a sandbox instance
// that attaches that workspace's current files read-only. A refresh writes a new file and swaps
// it in: queries already running keep the sandbox and files they started on, which are closed
// and deleted once the last of them finishes. One build per table at a time: concurrent
// requests that need no more columns than the running build copies wait for it.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { DuckDBInstance } from '@duckdb/node-api';
import type { MikroORM } from '../../../platform/db.ts';
import type { Logger } from '../../../platform/logger.ts';
import type { Catalog } from './catalog.ts';
import type { TrustedBuilder } from './trusted.ts';
import { takeWatermark, writtenSince, type Watermark } from './freshness.ts';
import { openWorkspaceSandbox, type SandboxLimits, type SnapshotFile } from './sandbox.ts';
import type { Gate } from './gate.ts';
import { observeSnapshotBuild } from './metrics.ts';

const BUILD_WAIT_MS = 10 * 60_000;

/** What a query reads: per catalog table, the columns (null: all of them). */
export type TableNeeds = ReadonlyMap<string, ReadonlySet<string> | null>;

interface TableVersion {
  table: string;
  file: string;
  columns: ReadonlySet<string>;
  watermark: Watermark;
  rows: number;
  /** Sandboxes attaching this file; a retired version's file goes once none does. */
  attached: number;
  retired: boolean;
}

interface Sandbox { instance: DuckDBInstance; versions: ReadonlyMap<string, TableVersion>; leases: number; retired: boolean }

interface WorkspaceSnapshots {
  id: string;
  dir: string;
  current: Map<string, TableVersion>;
  builds: Map<string, { columns: ReadonlySet<string>; promise: Promise<TableVersion> }>;
  sandbox: Sandbox | null;
  opening: Promise<Sandbox> | null;
  /** Exports holding files of this workspace (pin). */
  pins: number;
  lastUsed: number;
}

export interface Lease {
  instance: DuckDBInstance;
  /** When the oldest table snapshot the lease reads was copied. */
  snapshotAt: Date;
  release: () => void;
}

export interface PinnedFiles {
  files: SnapshotFile[];
  /** When the oldest table snapshot among them was copied. */
  snapshotAt: Date;
  release: () => void;
}

export interface SnapshotStats { builds: number; rowsCopied: number; buildMs: number; sandboxesOpened: number }

export interface SnapshotStoreDeps {
  orm: MikroORM;
  builder: TrustedBuilder;
  /** Builds running at once (each holds a connection of the trusted instance and a libuv thread). */
  buildGate: Gate;
  catalog: Catalog;
  limits: SandboxLimits;
  /** This process's own folder. */
  dir: string;
  ttlMs: number;
  logger: Logger;
}

export class SnapshotStore {
  private readonly workspaces = new Map<string, WorkspaceSnapshots>();
  private readonly sweeper: NodeJS.Timeout;
  readonly stats: SnapshotStats = { builds: 0, rowsCopied: 0, buildMs: 0, sandboxesOpened: 0 };

  constructor(private readonly deps: SnapshotStoreDeps) {
    // Idle workspaces give back their sandbox and files (they would be rebuilt after the TTL anyway).
    this.sweeper = setInterval(() => this.sweep(), Math.max(1000, Math.min(deps.ttlMs, 60_000)));
    this.sweeper.unref();
  }

  /** A sandbox holding current snapshots of the tables and columns needed; release it when done. */
  async lease(workspaceId: string, needs: TableNeeds): Promise<Lease> {
    const { ws, tables } = await this.current(workspaceId, needs);
    const sandbox = await this.sandboxFor(ws, tables);
    sandbox.leases++;
    ws.lastUsed = Date.now();
    let released = false;
    return {
      instance: sandbox.instance,
      snapshotAt: oldest(tables.map((t) => sandbox.versions.get(t)!)),
      release: () => {
        if (released) return;
        released = true;
        sandbox.leases--;
        if (sandbox.retired && sandbox.leases === 0) this.closeSandbox(sandbox);
      },
    };
  }

  /**
   * Current snapshot files of the tables and columns needed, kept on disk until released, for a
   * sandbox the caller opens itself (an export's): only the tables needed.
   */
  async pin(workspaceId: string, needs: TableNeeds): Promise<PinnedFiles> {
    const { ws, tables } = await this.current(workspaceId, needs);
    const versions = new Map(tables.map((t) => [t, ws.current.get(t)!] as const));
    for (const v of versions.values()) v.attached++;
    ws.pins++;
    ws.lastUsed = Date.now();
    let released = false;
    return {
      files: this.filesOf(versions),
      snapshotAt: oldest([...versions.values()]),
      release: () => {
        if (released) return;
        released = true;
        ws.pins--;
        ws.lastUsed = Date.now();
        for (const v of versions.values()) this.detach(v);
      },
    };
  }

  /** Builds what is missing or stale among the tables needed; answers the catalog tables among them. */
  private async current(workspaceId: string, needs: TableNeeds): Promise<{ ws: WorkspaceSnapshots; tables: string[] }> {
    const ws = this.workspace(workspaceId);
    ws.lastUsed = Date.now();
    // A name that is no catalog table has nothing to copy: the statement will fail to bind on it.
    const wanted = new Map([...needs].filter(([table]) => this.deps.catalog.has(table)).map(([table, columns]) => [table, this.columnsOf(table, columns)] as const));
    const stale = await this.staleVersions(ws, [...wanted.keys()]);
    await Promise.all([...wanted].map(([table, columns]) => this.ensure(ws, table, columns, stale)));
    return { ws, tables: [...wanted.keys()] };
  }

  /** Closes every sandbox and deletes every file (at shutdown). */
  close(): void {
    clearInterval(this.sweeper);
    for (const ws of this.workspaces.values()) this.drop(ws, true);
    this.workspaces.clear();
  }

  private workspace(id: string): WorkspaceSnapshots {
    let ws = this.workspaces.get(id);
    if (!ws) {
      ws = { id, dir: join(this.deps.dir, id), current: new Map(), builds: new Map(), sandbox: null, opening: null, pins: 0, lastUsed: Date.now() };
      mkdirSync(ws.dir, { recursive: true });
      this.workspaces.set(id, ws);
    }
    return ws;
  }

  private columnsOf(table: string, columns: ReadonlySet<string> | null): ReadonlySet<string> {
    const spec = this.deps.catalog.get(table)!;
    if (columns === null) return new Set(spec.columns.map((c) => c.name));
    return new Set([...columns].filter((name) => spec.columns.some((c) => c.name === name)));
  }

  /** Held versions of these tables that are past the TTL or whose tables were written since. */
  private async staleVersions(ws: WorkspaceSnapshots, tables: string[]): Promise<Set<TableVersion>> {
    const held = tables.map((t) => ws.current.get(t)).filter((v): v is TableVersion => Boolean(v));
    const stale = new Set<TableVersion>();
    const now = Date.now();
    const live = held.filter((v) => (now - v.watermark.at.getTime() >= this.deps.ttlMs ? (stale.add(v), false) : true));
    const written = await writtenSince(this.deps.orm, ws.id, live.map((v) => v.watermark));
    live.forEach((v, i) => { if (written[i]) stale.add(v); });
    return stale;
  }

  private async ensure(ws: WorkspaceSnapshots, table: string, columns: ReadonlySet<string>, stale: Set<TableVersion>): Promise<void> {
    for (;;) {
      const current = ws.current.get(table);
      if (current && !stale.has(current) && covers(current.columns, columns)) return;
      const running = ws.builds.get(table);
      if (running) {
        if (covers(running.columns, columns)) await running.promise;
        else await running.promise.catch(() => undefined);
        // That build may have started before the write this request saw: check the new version too.
        const built = ws.current.get(table);
        if (built) for (const v of await this.staleVersions(ws, [table])) stale.add(v);
        continue;
      }
      // Columns copied before stay: the queries that asked for them will again.
      const all = new Set([...(current?.columns ?? []), ...columns]);
      const promise = this.build(ws, table, all);
      ws.builds.set(table, { columns: all, promise });
      try {
        await promise;
      } finally {
        if (ws.builds.get(table)?.promise === promise) ws.builds.delete(table);
      }
      return;
    }
  }

  private async build(ws: WorkspaceSnapshots, table: string, columns: ReadonlySet<string>): Promise<TableVersion> {
    const spec = this.deps.catalog.get(table)!;
    const started = performance.now();
    const watermark = await takeWatermark(this.deps.orm, ws.id, spec.events);
    const file = join(ws.dir, `${table}-${Date.now()}-${randomBytes(4).toString('hex')}.duckdb`);
    // A count of rows reads no column, but needs the rows: copy the first one.
    if (!columns.size) columns = new Set([spec.columns[0]!.name]);
    let rows: number;
    const leave = await this.deps.buildGate.enter(BUILD_WAIT_MS, () => new Error(`BI snapshot of ${table}: no build slot within ${BUILD_WAIT_MS / 1000} s`));
    try {
      rows = await this.deps.builder.copyTable(file, { table, columns: spec.columns.filter((c) => columns.has(c.name)) }, ws.id);
    } catch (err) {
      removeFile(file);
      throw err;
    } finally {
      leave();
    }
    const version: TableVersion = { table, file, columns, watermark, rows, attached: 0, retired: false };
    const old = ws.current.get(table);
    ws.current.set(table, version);
    if (old) this.retireVersion(old);
    const ms = performance.now() - started;
    Object.assign(this.stats, { builds: this.stats.builds + 1, rowsCopied: this.stats.rowsCopied + rows, buildMs: this.stats.buildMs + ms });
    observeSnapshotBuild(ms, rows);
    this.deps.logger.debug({ workspace_id: ws.id, table, rows, columns: columns.size, ms: Math.round(ms) }, 'BI snapshot table built');
    return version;
  }

  /** The workspace's sandbox if it attaches the current version of every table; else a new one that does. */
  private async sandboxFor(ws: WorkspaceSnapshots, tables: string[]): Promise<Sandbox> {
    for (;;) {
      const current = ws.sandbox;
      if (current && tables.every((t) => current.versions.get(t) === ws.current.get(t))) return current;
      if (ws.opening) {
        // Another request is opening one (its continuation runs first and installs it): look again.
        await ws.opening.catch(() => undefined);
        continue;
      }
      const versions = new Map(ws.current);
      for (const v of versions.values()) v.attached++;
      const opening = openWorkspaceSandbox(this.filesOf(versions), this.deps.limits)
        .then((instance): Sandbox => ({ instance, versions, leases: 0, retired: false }));
      ws.opening = opening;
      let sandbox: Sandbox;
      try {
        sandbox = await opening;
      } catch (err) {
        for (const v of versions.values()) this.detach(v);
        throw err;
      } finally {
        if (ws.opening === opening) ws.opening = null;
      }
      this.stats.sandboxesOpened++;
      const old = ws.sandbox;
      ws.sandbox = sandbox;
      if (old) this.retireSandbox(old);
    }
  }

  private filesOf(versions: ReadonlyMap<string, TableVersion>): SnapshotFile[] {
    return [...versions.values()].map((v) => ({
      table: v.table, file: v.file,
      columns: this.deps.catalog.get(v.table)!.columns.map((c) => ({ name: c.name, duckType: c.duckType, copied: v.columns.has(c.name) })),
    }));
  }

  private retireSandbox(sandbox: Sandbox): void {
    sandbox.retired = true;
    if (sandbox.leases === 0) this.closeSandbox(sandbox);
  }

  private closeSandbox(sandbox: Sandbox): void {
    sandbox.instance.closeSync();
    for (const v of sandbox.versions.values()) this.detach(v);
  }

  private detach(version: TableVersion): void {
    version.attached--;
    if (version.retired && version.attached === 0) removeFile(version.file);
  }

  private retireVersion(version: TableVersion): void {
    version.retired = true;
    if (version.attached === 0) removeFile(version.file);
  }

  private sweep(): void {
    const idleSince = Date.now() - Math.max(this.deps.ttlMs, 1000);
    for (const ws of this.workspaces.values()) {
      if (ws.lastUsed > idleSince || ws.builds.size || ws.opening || ws.pins > 0 || (ws.sandbox?.leases ?? 0) > 0) continue;
      this.drop(ws, false);
      this.workspaces.delete(ws.id);
    }
  }

  private drop(ws: WorkspaceSnapshots, force: boolean): void {
    if (ws.sandbox && (force || ws.sandbox.leases === 0)) { ws.sandbox.retired = true; this.closeSandbox(ws.sandbox); }
    ws.sandbox = null;
    for (const v of ws.current.values()) this.retireVersion(v);
    ws.current.clear();
    if (force) rmSync(ws.dir, { recursive: true, force: true });
  }
}

/** When the oldest of these versions was copied (now when there is none). */
const oldest = (versions: TableVersion[]) => new Date(Math.min(...versions.map((v) => v.watermark.at.getTime()), Date.now()));

const covers = (have: ReadonlySet<string>, want: ReadonlySet<string>) => [...want].every((c) => have.has(c));

function removeFile(file: string): void {
  // DuckDB may leave a write-ahead log beside a database file.
  for (const f of [file, `${file}.wal`]) rmSync(f, { force: true });
}
