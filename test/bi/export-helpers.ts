// Shared by the export tests: waiting for an export to settle, downloading its file, and reading
// it back with readers independent of the writer (DuckDB for csv/json/parquet, exceljs for xlsx).
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import ExcelJS from 'exceljs';
import type { ApiClient } from '../helpers/client.ts';

/** Polls listBiExports until the export is succeeded or failed (or the deadline passes). */
export async function settledExport(client: ApiClient, id: string, timeoutMs = 120_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await client.get('/bi/exports?limit=100');
    const found = res.body.data.find((e: { id: string }) => e.id === id);
    if (found && (found.status === 'succeeded' || found.status === 'failed')) return { ...found, contractErrors: res.contractErrors };
    if (Date.now() > deadline) throw new Error(`export ${id} still ${found?.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function downloadBytes(url: string): Promise<{ status: number; bytes: Buffer; headers: Headers }> {
  const res = await fetch(url);
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()), headers: res.headers };
}

/** The file's rows, as text cells, read by an independent reader for its format. */
export async function readBack(format: string, bytes: Buffer): Promise<{ columns: string[]; rows: (string | null)[][] }> {
  if (format === 'xlsx') {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as never);
    const sheet = workbook.worksheets[0]!;
    const all: (string | null)[][] = [];
    sheet.eachRow((row) => { all.push((row.values as unknown[]).slice(1).map((v) => (v === null || v === undefined ? null : v instanceof Date ? v.toISOString() : String(v)))); });
    return { columns: all[0]! as string[], rows: all.slice(1) };
  }
  const dir = await mkdtemp(join(tmpdir(), 'slab5-readback-'));
  try {
    const file = join(dir, `file.${format}`);
    await writeFile(file, bytes);
    const reader = { csv: `read_csv('${file}', header = true, all_varchar = true)`, json: `read_json('${file}', format = 'array')`, parquet: `read_parquet('${file}')` }[format];
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    try {
      const result = await conn.runAndReadAll(`SELECT * FROM ${reader}`);
      const rows = result.getRowsJS().map((r) => r.map((v) => (v === null ? null : v instanceof Date ? v.toISOString() : String(v))));
      return { columns: result.columnNames(), rows };
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** API rows (runBiQuery) as text cells, to compare with a read-back file. */
export const asText = (rows: unknown[][]) => rows.map((r) => r.map((v) => (v === null ? null : typeof v === 'object' ? JSON.stringify(v) : String(v))));
