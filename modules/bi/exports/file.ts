// The export file, written by maintained writers only, straight out of the export's own sandbox
// into `out` (the upload): DuckDB's COPY writes csv (header row), json (one array) or parquet
// into a named pipe the sandbox may write and nothing else, read here as it is written; exceljs's
// streaming workbook writer writes xlsx from the result's chunks. No copy of the rows is kept:
// memory holds what is in flight between DuckDB, the pipe and the upload's parts. The pipe is read
// into one buffer of its own, handed to the sink, and read again once the sink has taken it.
import { execFile } from 'node:child_process';
import { constants, openSync } from 'node:fs';
// `onread` is read by the constructor too (Node ≥ 12), though the types name it for connect() only.
import { Socket, type OnReadOpts, type SocketConstructorOpts } from 'node:net';
import type { Writable } from 'node:stream';
import { promisify } from 'node:util';
import type { DuckDBInstance, DuckDBValue } from '@duckdb/node-api';
// exceljs loads with the first xlsx export (the API process writes none).
import type ExcelJS from 'exceljs';
import { runStatement, type ResultColumn } from '../engine/sandbox.ts';
import { quoteString } from '../engine/sql-text.ts';
import { toJson } from '../engine/values.ts';
import type { ExportFormat } from '../entities.ts';

const COPY_OPTIONS: Record<Exclude<ExportFormat, 'xlsx'>, string> = {
  csv: 'FORMAT csv, HEADER true',
  json: 'FORMAT json, ARRAY true',
  parquet: 'FORMAT parquet',
};

/** Where the file's bytes go (PartUpload): write() answers null once it took them, else a promise. */
export interface ExportSink {
  write: (bytes: Uint8Array) => Promise<void> | null;
  /** The same as a stream, for writers that need one. */
  writable: () => Writable;
}

// What one read of the pipe may take (a pipe holds 64 KiB).
const PIPE_READ_BYTES = 64 * 1024;

export interface ExportQuery { sql: string; params: unknown[]; field: string }

export interface WriteOptions {
  /** The one path the sandbox may write (a named pipe is made there). */
  pipePath: string;
  maxRows: number;
  timeoutMs: number;
  /** Receives the file's bytes (the caller completes it once the writer answers). */
  out: ExportSink;
  /** Rows written so far, or DuckDB's percent of the statement done (COPY reports no rows). */
  progress: (done: { rows: number } | { percent: number }) => void;
}

/** The query as the sandbox runs it: its own text (a trailing comment cannot swallow the rest), capped. */
const capped = (q: ExportQuery, maxRows: number) => `SELECT * FROM (${q.sql}\n) AS export_source LIMIT ${Math.max(0, Math.floor(maxRows))}`;

/** How many rows the query answers (to plan the progress against). */
export async function countRows(instance: DuckDBInstance, q: ExportQuery, timeoutMs: number): Promise<number> {
  const counted = await runStatement(instance, `SELECT count(*) AS n FROM (${q.sql}\n) AS export_source`, q.params as DuckDBValue[], { maxRows: 1, timeoutMs, field: q.field });
  return Number(counted.rows[0]?.[0] ?? 0);
}

/** Writes the file of the query's rows in `format` into `out`; answers the row count. */
export async function writeExport(instance: DuckDBInstance, q: ExportQuery, format: ExportFormat, opts: WriteOptions): Promise<number> {
  return format === 'xlsx' ? writeXlsx(instance, q, opts) : copyThroughPipe(instance, q, format, opts);
}

async function copyThroughPipe(instance: DuckDBInstance, q: ExportQuery, format: Exclude<ExportFormat, 'xlsx'>, opts: WriteOptions): Promise<number> {
  await promisify(execFile)('mkfifo', ['-m', '600', opts.pipePath]);
  let failure: unknown = null;
  // Opened without waiting for the writer (DuckDB opens its end when the COPY starts); read by
  // libuv's event loop like a socket, so no thread waits on it. Each read lands in `into` and
  // goes to the sink; while the sink is full the pipe is not read, so DuckDB's writes wait.
  const into = Buffer.allocUnsafe(PIPE_READ_BYTES);
  const pipe: Socket = new Socket(<SocketConstructorOpts & { onread: OnReadOpts }>{
    fd: openSync(opts.pipePath, constants.O_RDONLY | constants.O_NONBLOCK), readable: true, writable: false,
    onread: {
      buffer: into,
      callback: (n: number, buffer: Uint8Array) => {
        const taken = opts.out.write(buffer.subarray(0, n));
        if (!taken) return true;
        // The upload gave up: closing the pipe makes DuckDB's next write fail, so the COPY ends too.
        taken.then(() => pipe.resume(), (err) => { failure ??= err; pipe.destroy(); });
        return false;
      },
    },
  });
  const ended = new Promise<void>((resolve, reject) => {
    pipe.once('end', resolve);
    pipe.once('close', () => reject(failure ?? new Error('the export pipe closed before the file ended')));
  });
  ended.catch(() => undefined);
  try {
    // USE_TMP_FILE false: the COPY writes the pipe itself, never a file beside it.
    const copied = await runStatement(instance, `COPY (${capped(q, opts.maxRows)}) TO ${quoteString(opts.pipePath)} (${COPY_OPTIONS[format]}, USE_TMP_FILE false)`,
      q.params as DuckDBValue[], { maxRows: 1, timeoutMs: opts.timeoutMs, field: q.field, onProgress: (percent) => opts.progress({ percent }) })
      .catch((err) => { throw failure ?? err; });
    await ended;
    return Number(copied.rows[0]?.[0] ?? 0);
  } finally {
    pipe.destroy();
  }
}

/** One sheet, a header row of the column names, the values as the API answers them (JSON values as text). */
async function writeXlsx(instance: DuckDBInstance, q: ExportQuery, opts: WriteOptions): Promise<number> {
  const excel = (await import('exceljs')).default;
  const workbook = new excel.stream.xlsx.WorkbookWriter({ stream: opts.out.writable(), useSharedStrings: false, useStyles: false });
  const sheet = workbook.addWorksheet('Export');
  let header = false;
  const addHeader = (columns: ResultColumn[]) => { if (!header) sheet.addRow(columns.map((c) => c.name)).commit(); header = true; };
  let rows = 0;
  const result = await runStatement(instance, capped(q, opts.maxRows), q.params as DuckDBValue[], {
    maxRows: opts.maxRows, timeoutMs: opts.timeoutMs, field: q.field,
    onChunk: async (chunk, columns) => {
      addHeader(columns);
      for (const row of chunk.convertRows(toJson)) sheet.addRow(row.map((cell, i) => xlsxCell(cell, columns[i]!))).commit();
      rows += chunk.rowCount;
      opts.progress({ rows });
    },
  });
  addHeader(result.columns);
  sheet.commit();
  await workbook.commit();
  return rows;
}

/** Numbers and booleans stay typed; timestamps become dates; big integers, decimals and JSON values are text. */
function xlsxCell(cell: unknown, column: ResultColumn): ExcelJS.CellValue {
  if (cell === null || cell === undefined) return null;
  if (typeof cell === 'number' || typeof cell === 'boolean') return cell;
  if (column.type === 'timestamp' && typeof cell === 'string' && !Number.isNaN(Date.parse(cell))) return new Date(cell);
  if (typeof cell === 'string') return cell;
  return JSON.stringify(cell);
}
