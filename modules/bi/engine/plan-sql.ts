// A client's SQL is accepted only as one read-only SELECT, as DuckDB's own parser and binder
// read it (never a pattern over the text): parsed into statements, prepared against the empty
// catalog in a sealed planner, and judged by the prepared statement's type. What DuckDB reports
// (a syntax error, an unknown table or column) goes back as a 422 with its message and position.
// The plan also names the catalog tables the statement reads, which the snapshot must then hold.
import { StatementType, type DuckDBInstance } from '@duckdb/node-api';
import { ApiError } from '../../../platform/errors.ts';
import type { BiType } from '../entities.ts';
import { biTypeOf } from './values.ts';
import { duckdbProblem } from './sql-text.ts';
import { queryTimeout } from './sandbox.ts';

export interface PlannedSql {
  columns: { name: string; type: BiType }[];
  /** Catalog tables the statement names, each with the columns it reads (null: could not tell, all). */
  needs: Map<string, Set<string> | null>;
  /** DuckDB's own rendering of the statement (no trailing semicolon or comment): what a dataset query wraps; null when DuckDB cannot render it. */
  normalized: string | null;
}

const TYPE_NAMES = Object.fromEntries(Object.entries(StatementType).filter(([, v]) => typeof v === 'number').map(([k, v]) => [v, k])) as Record<number, string>;

const refuse = (field: string, message: string, extra: Record<string, unknown> = {}) =>
  new ApiError(422, 'rule_violation', message, { field, ...extra });

export async function planSql(planner: DuckDBInstance, sql: string, field: string, timeoutMs: number): Promise<PlannedSql> {
  const conn = await planner.connect();
  let timedOut = false;
  const timer = setTimeout(() => { timedOut = true; conn.interrupt(); }, timeoutMs);
  try {
    let extracted;
    try {
      extracted = await conn.extractStatements(sql);
    } catch (err) {
      throw duckdbProblem(err, field, sql);
    }
    if (extracted.count !== 1) {
      throw refuse(field, `Send exactly one SELECT statement; DuckDB's parser found ${extracted.count}.`, { statement_count: extracted.count });
    }
    let prepared;
    try {
      prepared = await extracted.prepare(0);
    } catch (err) {
      // COPY, EXPORT and CREATE SECRET need file access to be bound at all: the sealed planner
      // refuses them here, before their type can be read.
      throw duckdbProblem(err, field, sql);
    }
    try {
      if (prepared.statementType !== StatementType.SELECT) {
        const type = TYPE_NAMES[prepared.statementType] ?? String(prepared.statementType);
        throw refuse(field, `Only a read-only SELECT statement is accepted; DuckDB reads this one as a statement of type ${type}.`, { statement_type: type });
      }
      const columns = Array.from({ length: prepared.columnCount }, (_, i) => ({ name: prepared.columnName(i), type: biTypeOf(prepared.columnType(i)) }));
      return { columns, needs: await readNeeds(conn, sql), normalized: await normalize(conn, sql) };
    } finally {
      prepared.destroySync();
    }
  } catch (err) {
    if (timedOut) throw queryTimeout(timeoutMs);
    throw err;
  } finally {
    clearTimeout(timer);
    conn.closeSync();
  }
}

interface PlanNode { name?: string; extra_info?: { Table?: string; Projections?: string | string[] }; children?: PlanNode[] }

/**
 * The tables the bound, unoptimized plan scans (views, CTEs and table functions such as
 * query_table resolved), and the columns the physical plan's scans of each read.
 */
async function readNeeds(conn: Awaited<ReturnType<DuckDBInstance['connect']>>, sql: string): Promise<Map<string, Set<string> | null>> {
  // The statement is already known to be one SELECT: prefixing EXPLAIN keeps it one statement.
  const reader = await conn.runAndReadAll(`EXPLAIN (FORMAT JSON) ${sql}\n`);
  const plans = new Map(reader.getRowObjectsJS().map((row) => [String(row.explain_key), JSON.parse(String(row.explain_value)) as PlanNode[]]));
  const scans = (key: string) => {
    const out: PlanNode[] = [];
    const walk = (node: PlanNode) => { if (typeof node?.extra_info?.Table === 'string') out.push(node); for (const c of node?.children ?? []) walk(c); };
    for (const node of plans.get(key) ?? []) walk(node);
    return out;
  };
  const tableOf = (node: PlanNode) => node.extra_info!.Table!.split('.').pop()!.replace(/^"|"$/g, '');
  const needs = new Map<string, Set<string> | null>();
  for (const node of scans('logical_plan')) needs.set(tableOf(node), new Set());
  for (const node of scans('physical_plan')) {
    const table = tableOf(node);
    const projected = node.extra_info?.Projections;
    const names = Array.isArray(projected) ? projected : projected ? [projected] : [];
    const current = needs.get(table);
    if (current === null) continue;
    // Anything but plain column names (an expression pushed into the scan): read every column.
    if (names.some((n) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(n))) { needs.set(table, null); continue; }
    needs.set(table, new Set([...(current ?? []), ...names]));
  }
  return needs;
}

async function normalize(conn: Awaited<ReturnType<DuckDBInstance['connect']>>, sql: string): Promise<string | null> {
  try {
    const reader = await conn.runAndReadAll('SELECT json_deserialize_sql(json_serialize_sql($1::VARCHAR)) AS s', [sql]);
    const text = reader.getRowObjectsJS()[0]?.s;
    return typeof text === 'string' && text ? text : null;
  } catch {
    return null;
  }
}
