// The trusted side of BI: the only DuckDB instance that loads the postgres extension. It runs
// only SQL this file writes (catalog identifiers, quoted; the workspace id bound or validated),
// never a client's, because the extension's functions reach PostgreSQL whatever the sandbox
// settings say. It copies one workspace's rows of one catalog table (workspace_id pushed down to
// PostgreSQL) into a new DuckDB file, and builds the empty catalog the planner binds SQL against.
import { createDuckDb, type DuckDb } from '../../../platform/duckdb.ts';
import { sql as pgSql, type MikroORM } from '../../../platform/db.ts';
import type { Config } from '../../../platform/config.ts';
import { quoteIdent, quoteString } from './sql-text.ts';

export interface CopyColumn { name: string; pgType: string }
export interface CopySource { table: string; columns: readonly CopyColumn[] }

export interface TrustedBuilder {
  /** Writes `file` with one table: the listed columns of the workspace's rows. Returns the row count. */
  copyTable: (file: string, source: CopySource, workspaceId: string) => Promise<number>;
  /**
   * DuckDB's plan of the copy's read, and the SQL PostgreSQL runs when the copy goes through its
   * index (tests check that the workspace filter reaches PostgreSQL on both paths).
   */
  explainCopy: (source: CopySource, workspaceId: string, path?: 'scan' | 'index') => Promise<string>;
  /** Writes `file` with every table of the catalog, empty, typed as a copy types it. */
  buildSchema: (file: string, sources: readonly CopySource[]) => Promise<void>;
  close: () => void;
}

const BUILD_THREADS = 2;
const BUILD_MEMORY_MB = 64;

// Workspace ids are the server's own (`wrk_` + ULID); this pattern is what may reach a SQL literal.
const WORKSPACE_ID = /^[A-Za-z0-9_-]{1,100}$/;

export async function openTrustedBuilder(config: Config, orm: MikroORM, spillDir: string): Promise<TrustedBuilder> {
  const duck: DuckDb = await createDuckDb(config, {
    // Each copy thread fills row groups of its own before they are written. Two streams from
    // PostgreSQL against four (bi bench, 2 cores): 1.29M rows/s against 950k, with half the buffers.
    threads: String(Math.max(BUILD_THREADS, config.biQueryThreads)),
    // A copy streams row groups into its file; what it has written need not stay cached. The
    // worker's first 1M-row export (snapshot build included) grew by +227 MB at 4 threads and
    // 128 MB, +144 to +162 MB at 2 threads and 64 MB (bi-exports bench); blocks past the limit
    // go to a spill directory (at 48 MB without one, a build failed: "Unused blocks cannot be
    // offloaded to disk ... set temp_directory"), so a wider table slows down instead of failing.
    memory_limit: `${BUILD_MEMORY_MB}MB`,
    temp_directory: spillDir,
    // Row order inside a snapshot carries no meaning; without it DuckDB writes in parallel.
    preserve_insertion_order: 'false',
    // DuckDB's allocator (one per process, shared by every instance) hands freed pages back to the
    // system in the background: a worker after a large build or export does not stay at its peak.
    allocator_background_threads: 'true',
  });
  try {
    await duck.attachPostgres(config.databaseUrl, 'pg');
  } catch (err) {
    duck.close();
    throw err;
  }
  let attachments = 0;

  /** Runs `work` with a fresh DuckDB file attached for writing; the file is complete once it returns. */
  async function intoFile<T>(file: string, work: (conn: Awaited<ReturnType<DuckDb['connect']>>, alias: string) => Promise<T>): Promise<T> {
    const conn = await duck.connect();
    const alias = quoteIdent(`build_${++attachments}`);
    try {
      await conn.run(`ATTACH ${quoteString(file)} AS ${alias}`);
      try {
        return await work(conn, alias);
      } finally {
        await conn.run(`DETACH ${alias}`);
      }
    } finally {
      conn.closeSync();
    }
  }

  // JSON columns arrive as text from the extension: typed JSON, they come back as JSON values.
  const selectList = (columns: readonly CopyColumn[]) => columns.map((c) => (['json', 'jsonb'].includes(c.pgType)
    ? `CAST(${quoteIdent(c.name)} AS JSON) AS ${quoteIdent(c.name)}` : quoteIdent(c.name))).join(', ');

  /** The SELECT that reads one workspace's rows, and its parameters. */
  const readSql = async (source: CopySource, workspaceId: string, path?: 'scan' | 'index'): Promise<[string, string[] | undefined, string | null]> => {
    if (!WORKSPACE_ID.test(workspaceId)) throw new Error(`refusing to copy for workspace id "${workspaceId}"`);
    const table = quoteIdent(source.table);
    // A workspace holding much of the table: the extension's parallel scan (page ranges, the
    // filter pushed into each); a small one: one query PostgreSQL answers from its index.
    if ((path ?? (await prefersFullScan(orm, source.table, workspaceId) ? 'scan' : 'index')) === 'scan') {
      return [`SELECT ${selectList(source.columns)} FROM pg.public.${table} WHERE workspace_id = $1`, [workspaceId], null];
    }
    const remote = `SELECT ${source.columns.map((c) => quoteIdent(c.name)).join(', ')} FROM public.${table} WHERE workspace_id = ${quoteString(workspaceId)}`;
    return [`SELECT ${selectList(source.columns)} FROM postgres_query('pg', ${quoteString(remote)})`, undefined, remote];
  };

  return {
    async copyTable(file, source, workspaceId) {
      const [select, params] = await readSql(source, workspaceId);
      return intoFile(file, async (conn, alias) => {
        const result = await conn.run(`CREATE TABLE ${alias}.main.${quoteIdent(source.table)} AS ${select}`, params);
        const [[count]] = (await result.getRows()) as [[bigint]];
        return Number(count);
      });
    },
    async explainCopy(source, workspaceId, path) {
      const [select, params, remote] = await readSql(source, workspaceId, path);
      const conn = await duck.connect();
      try {
        const reader = await conn.runAndReadAll(`EXPLAIN ${select}`, params);
        const plan = reader.getRowObjectsJS().map((r) => String(r.explain_value)).join('\n');
        return remote ? `${plan}\nPostgreSQL runs: ${remote}` : plan;
      } finally {
        conn.closeSync();
      }
    },
    async buildSchema(file, sources) {
      await intoFile(file, async (conn, alias) => {
        for (const source of sources) {
          await conn.run(`CREATE TABLE ${alias}.main.${quoteIdent(source.table)} AS SELECT ${selectList(source.columns)}
            FROM pg.public.${quoteIdent(source.table)} WHERE workspace_id = $1 LIMIT 0`, ['']);
        }
      });
    },
    close: () => duck.close(),
  };
}

/** Whether PostgreSQL itself would read the whole table for this workspace (its planner knows the share). */
async function prefersFullScan(orm: MikroORM, table: string, workspaceId: string): Promise<boolean> {
  const [row] = await pgSql<Record<string, any>[]>(orm.em.fork(), `explain (format json) select 1 from ${quoteIdent(table)} where workspace_id = ?`, [workspaceId]);
  const plan = row?.['QUERY PLAN']?.[0]?.Plan;
  const seq = (node: any): boolean => node?.['Node Type'] === 'Seq Scan' || (node?.Plans ?? []).some(seq);
  return seq(plan);
}
