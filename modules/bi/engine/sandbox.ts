// Where user SQL runs: DuckDB instances that never load an extension and see only what BI put
// there before sealing them. A workspace sandbox attaches that workspace's snapshot files
// read-only; the planner opens the empty catalog; a mock sandbox holds one dataset's inline rows.
// Sealing turns off every file, network and extension access (`enable_external_access=false`),
// pins the time zone to UTC and locks the configuration, so no statement can change any of it.
// An export's sandbox is one of its own, sealed the same way but allowed to write one file: the
// export's output (`allowed_paths`), so DuckDB's own COPY writes it.
// The postgres extension bypasses the external-access setting: it is only ever loaded by the
// trusted builder (trusted.ts), never here.
import { DuckDBInstance, type DuckDBConnection, type DuckDBDataChunk, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';
import { ApiError } from '../../../platform/errors.ts';
import { biTypeOf, toJson } from './values.ts';
import { duckdbProblem, quoteIdent, quoteString } from './sql-text.ts';
import type { BiType } from '../entities.ts';

export interface SandboxLimits {
  memoryMb: number;
  threads: number;
  timeoutMs: number;
  /** An extension directory that holds nothing: nothing can be installed into or loaded from it. */
  noExtensionsDir: string;
  /** Where an export's sandbox spills past its memory; none: a query past the limit fails. */
  spillDir?: string;
}

export interface ResultColumn { name: string; type: BiType; duckType: DuckDBType }
export interface StatementResult { columns: ResultColumn[]; rows: unknown[][]; truncated: boolean }

/** Startup options every sandbox shares. */
function startupOptions(limits: SandboxLimits, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...extra,
    memory_limit: `${limits.memoryMb}MB`,
    threads: String(limits.threads),
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
    allow_community_extensions: 'false',
    allow_unsigned_extensions: 'false',
    allow_persistent_secrets: 'false',
    extension_directory: limits.noExtensionsDir,
    // No spilling (but for an export): a query past its memory limit fails instead of filling a disk.
    temp_directory: limits.spillDir ?? '',
  };
}

async function seal(conn: DuckDBConnection, output?: string): Promise<void> {
  await conn.run(`SET GLOBAL TimeZone = 'UTC'`);
  if (output !== undefined) {
    await conn.run(`SET allowed_paths = [${quoteString(output)}]`);
    // The statement's progress, read while it runs (never printed).
    await conn.run('SET enable_progress_bar = true');
    await conn.run('SET enable_progress_bar_print = false');
    await conn.run('SET progress_bar_time = 0');
    // An export's sandbox runs one thread (engine.ts), so its rows still come in the query's order
    // (an ORDER BY's too); kept on, the export's LIMIT would hold every row it passes until the
    // end (+150 MB for a 1M-row CSV, measured) instead of streaming them.
    await conn.run('SET preserve_insertion_order = false');
  }
  await conn.run('SET enable_external_access = false');
  await conn.run('SET lock_configuration = true');
}

export interface SnapshotFile {
  table: string;
  file: string;
  /** Every catalog column, in order, and whether this file holds it. */
  columns: { name: string; duckType: string; copied: boolean }[];
}

/**
 * A workspace's snapshot files, attached read-only, each table behind a view of its own name
 * with every catalog column: the ones not copied (no query has used them yet) read as typed
 * NULLs, so every statement binds exactly as it did in the planner.
 */
export async function openWorkspaceSandbox(tables: SnapshotFile[], limits: SandboxLimits, output?: string): Promise<DuckDBInstance> {
  return sealedInstance(await DuckDBInstance.create(':memory:', startupOptions(limits)), async (conn) => {
    for (const [i, { table, file, columns }] of tables.entries()) {
      const alias = quoteIdent(`snapshot_${i}`);
      await conn.run(`ATTACH ${quoteString(file)} AS ${alias} (READ_ONLY)`);
      const select = columns.map((c) => (c.copied ? quoteIdent(c.name) : `CAST(NULL AS ${c.duckType}) AS ${quoteIdent(c.name)}`));
      await conn.run(`CREATE VIEW main.${quoteIdent(table)} AS SELECT ${select.join(', ')} FROM ${alias}.main.${quoteIdent(table)}`);
    }
  }, output);
}

/** The empty catalog (every table, no rows), read-only: where SQL is parsed, bound and planned. */
export async function openPlanner(schemaFile: string, limits: SandboxLimits): Promise<DuckDBInstance> {
  // The plan tells which tables and columns a statement reads. explain_output=all adds the bound,
  // unoptimized plan (every table the statement names); without the optimizers that prune scans
  // of empty tables or move filters into them, the physical plan's scans list every column used.
  return sealedInstance(await DuckDBInstance.create(schemaFile, startupOptions(limits, {
    access_mode: 'READ_ONLY', explain_output: 'all', disabled_optimizers: 'filter_pushdown,statistics_propagation,empty_result_pullup',
  })));
}

/** Runs `prepare` on a fresh instance, then seals it; an instance that fails either is closed. */
async function sealedInstance(instance: DuckDBInstance, prepare?: (conn: DuckDBConnection) => Promise<void>, output?: string): Promise<DuckDBInstance> {
  const conn = await instance.connect();
  try {
    await prepare?.(conn);
    await seal(conn, output);
    return instance;
  } catch (err) {
    instance.closeSync();
    throw err;
  } finally {
    conn.closeSync();
  }
}

/**
 * A mock dataset's rows as the table `mock_rows`. Cells arrive as text (JSON text for json
 * columns) and are cast by DuckDB to each column's type, in batches of bound parameters.
 */
export async function openMockSandbox(columns: { name: string; duckType: string }[], rows: (string | null)[][], limits: SandboxLimits, output?: string): Promise<DuckDBInstance> {
  return sealedInstance(await DuckDBInstance.create(':memory:', startupOptions(limits)), async (conn) => {
    const names = columns.map((c) => quoteIdent(c.name));
    await conn.run(`CREATE TABLE mock_rows (${columns.map((c, i) => `${names[i]} ${c.duckType}`).join(', ')})`);
    const perBatch = Math.max(1, Math.floor(10_000 / Math.max(1, columns.length)));
    for (let start = 0; start < rows.length; start += perBatch) {
      const batch = rows.slice(start, start + perBatch);
      const params: DuckDBValue[] = [];
      const tuples = batch.map((row) => `(${row.map((cell) => { params.push(cell); return `$${params.length}::VARCHAR`; }).join(', ')})`);
      const casts = columns.map((c, i) => `CAST(v.${quoteIdent(`c${i}`)} AS ${c.duckType})`);
      await conn.run(`INSERT INTO mock_rows SELECT ${casts.join(', ')} FROM (VALUES ${tuples.join(', ')}) AS v(${columns.map((_, i) => quoteIdent(`c${i}`)).join(', ')})`, params);
    }
  }, output);
}

export interface RunOptions {
  /** Rows kept; one more is read to tell whether the result was truncated. */
  maxRows: number;
  timeoutMs: number;
  /** The request field DuckDB's errors are reported on. */
  field: string;
  /** Receives each batch of converted rows instead of keeping them (exports stream this way). */
  onRows?: (rows: unknown[][], columns: ResultColumn[]) => Promise<void>;
  /** Receives each chunk as DuckDB typed it, unconverted (the xlsx export writes them). */
  onChunk?: (chunk: DuckDBDataChunk, columns: ResultColumn[]) => Promise<void>;
  /** Receives the statement's progress (0–100) while it runs; needs an export's sandbox. */
  onProgress?: (percent: number) => void;
}

/**
 * Runs one statement on a fresh connection of the instance, streaming its chunks, and interrupts
 * it at the timeout (422 query_timeout). A DuckDB error is the client's: 422 naming the field.
 */
export async function runStatement(instance: DuckDBInstance, sql: string, params: DuckDBValue[], opts: RunOptions): Promise<StatementResult> {
  const conn = await instance.connect();
  let timedOut = false;
  const timer = setTimeout(() => { timedOut = true; conn.interrupt(); }, opts.timeoutMs);
  const polling = opts.onProgress && setInterval(() => {
    const { percentage } = conn.progress;
    if (percentage >= 0) opts.onProgress!(percentage);
  }, PROGRESS_EVERY_MS);
  try {
    const result = await conn.stream(sql, params);
    const columns = result.columnNames().map((name, i) => {
      const duckType = result.columnType(i);
      return { name, type: biTypeOf(duckType), duckType };
    });
    const rows: unknown[][] = [];
    let truncated = false;
    let seen = 0;
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      if (opts.onChunk) {
        const room = opts.maxRows - seen;
        if (chunk.rowCount > room) { truncated = true; chunk.rowCount = room; }
        seen += chunk.rowCount;
        if (chunk.rowCount) await opts.onChunk(chunk, columns);
        if (truncated) break;
        continue;
      }
      const converted = parseJsonColumns(chunk.convertRows(toJson), columns);
      const room = opts.maxRows - seen;
      if (converted.length > room) truncated = true;
      const kept = converted.slice(0, Math.max(0, room));
      seen += kept.length;
      if (opts.onRows) { if (kept.length) await opts.onRows(kept, columns); } else rows.push(...kept);
      if (truncated) break;
    }
    return { columns, rows, truncated };
  } catch (err) {
    if (timedOut) throw queryTimeout(opts.timeoutMs);
    throw duckdbProblem(err, opts.field, sql);
  } finally {
    clearTimeout(timer);
    if (polling) clearInterval(polling);
    conn.closeSync();
  }
}

const PROGRESS_EVERY_MS = 250;

/** Vectors do not carry the JSON alias their result column has: those strings are parsed here. */
function parseJsonColumns(rows: unknown[][], columns: ResultColumn[]): unknown[][] {
  const json = columns.flatMap((c, i) => (c.duckType.alias === 'JSON' ? [i] : []));
  if (!json.length) return rows;
  for (const row of rows) {
    for (const i of json) {
      const cell = row[i];
      if (typeof cell === 'string') { try { row[i] = JSON.parse(cell); } catch { /* kept as text */ } }
    }
  }
  return rows;
}

export const queryTimeout = (ms: number) => new ApiError(422, 'query_timeout',
  `The query ran longer than ${ms / 1000} s and was stopped. Narrow it (filters, fewer rows) or export it (createBiExport).`,
  { timeout_ms: ms });
