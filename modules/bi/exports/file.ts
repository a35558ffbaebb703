// The export file, written by maintained writers only: the sandbox's result chunks are appended
// as they stream (typed exactly as the query answered them) to a table of a DuckDB file of the
// export's own, then DuckDB's COPY writes csv (header row), json (one array) or parquet, and
// exceljs's streaming workbook writer writes xlsx from that table's chunks. Both stay within a
// bounded memory: DuckDB pages the table to its file, exceljs flushes each committed row.
// This instance only ever runs SQL written here (the client's SQL ran in the sealed sandbox).
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBAppender, type DuckDBConnection, type DuckDBDataChunk } from '@duckdb/node-api';
// exceljs loads with the first xlsx export (the API process writes none).
import type ExcelJS from 'exceljs';
import type { ResultColumn } from '../engine/sandbox.ts';
import { quoteIdent, quoteString } from '../engine/sql-text.ts';
import { toJson } from '../engine/values.ts';
import type { ExportFormat } from '../entities.ts';

export const MIME_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv',
  json: 'application/json',
  parquet: 'application/vnd.apache.parquet',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

const TABLE = 'export_rows';

export class ExportFile {
  private appender: DuckDBAppender | null = null;
  rows = 0;

  private constructor(private readonly instance: DuckDBInstance, private readonly conn: DuckDBConnection) {}

  /** A staging database in `dir` (the caller's scratch folder, removed by the caller). */
  static async open(dir: string): Promise<ExportFile> {
    const instance = await DuckDBInstance.create(join(dir, 'staging.duckdb'), {
      memory_limit: '256MB', threads: '2', temp_directory: join(dir, 'spill'),
      autoinstall_known_extensions: 'false', autoload_known_extensions: 'false',
    });
    return new ExportFile(instance, await instance.connect());
  }

  /** Appends one result chunk (the table is created from the first chunk's columns). */
  async append(chunk: DuckDBDataChunk, columns: ResultColumn[]): Promise<void> {
    this.appender ??= await this.createTable(columns);
    this.appender.appendDataChunk(chunk);
    this.rows += chunk.rowCount;
  }

  /** Writes the file in the format; answers its path. An empty result still has its columns. */
  async write(columns: ResultColumn[], format: ExportFormat, path: string): Promise<void> {
    if (!this.appender) this.appender = await this.createTable(columns);
    this.appender.flushSync();
    this.appender.closeSync();
    const target = quoteString(path);
    const ordered = `SELECT * FROM ${TABLE} ORDER BY rowid`;
    switch (format) {
      case 'csv': await this.conn.run(`COPY (${ordered}) TO ${target} (FORMAT csv, HEADER true)`); break;
      case 'json': await this.conn.run(`COPY (${ordered}) TO ${target} (FORMAT json, ARRAY true)`); break;
      case 'parquet': await this.conn.run(`COPY (${ordered}) TO ${target} (FORMAT parquet)`); break;
      case 'xlsx': await this.writeXlsx(columns, ordered, path); break;
    }
  }

  close(): void {
    try { this.appender?.closeSync(); } catch { /* already closed */ }
    this.conn.closeSync();
    this.instance.closeSync();
  }

  private async createTable(columns: ResultColumn[]): Promise<DuckDBAppender> {
    const defs = columns.map((c) => `${quoteIdent(c.name)} ${c.duckType.alias ?? String(c.duckType)}`);
    await this.conn.run(`CREATE OR REPLACE TABLE ${TABLE} (${defs.join(', ')})`);
    return this.conn.createAppender(TABLE);
  }

  /** One sheet, a header row of the column names, the values as the API answers them (JSON values as text). */
  private async writeXlsx(columns: ResultColumn[], sql: string, path: string): Promise<void> {
    const out = createWriteStream(path);
    const excel = (await import('exceljs')).default;
    const workbook = new excel.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: false });
    const sheet = workbook.addWorksheet('Export');
    sheet.addRow(columns.map((c) => c.name)).commit();
    const result = await this.conn.stream(sql);
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      for (const row of chunk.convertRows(toJson)) sheet.addRow(row.map((cell, i) => xlsxCell(cell, columns[i]!))).commit();
    }
    sheet.commit();
    const closed = once(out, 'close');
    await workbook.commit();
    await closed;
  }
}

/** Numbers and booleans stay typed; timestamps become dates; big integers, decimals and JSON values are text. */
function xlsxCell(cell: unknown, column: ResultColumn): ExcelJS.CellValue {
  if (cell === null || cell === undefined) return null;
  if (typeof cell === 'number' || typeof cell === 'boolean') return cell;
  if (column.type === 'timestamp' && typeof cell === 'string' && !Number.isNaN(Date.parse(cell))) return new Date(cell);
  if (typeof cell === 'string') return cell;
  return JSON.stringify(cell);
}
