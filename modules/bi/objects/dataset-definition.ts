// What a dataset's columns are, by kind: a catalog table's (table), a planned SELECT's (view), a
// curated subset of either (semantic), or declared with inline rows (mock). Every problem is a
// 422 naming the field; DuckDB's own message and position for SQL.
import { validationFailed, type FieldProblem } from '../../../platform/errors.ts';
import type { BiEngine } from '../engine/engine.ts';
import type { BiColumn, BiType, DatasetKind, MockCell } from '../entities.ts';
import { misfit } from '../query/filters.ts';
import type { Schema } from '../../../api/operations.ts';

export interface DatasetDefinition {
  kind: DatasetKind;
  source_table?: string | null;
  sql?: string | null;
  columns?: Schema<'BiColumnInput'>[];
  mock_rows?: MockCell[][] | null;
}

export interface DefinedDataset { source_table: string | null; sql: string | null; columns: BiColumn[]; mock_rows: MockCell[][] | null }

const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

export async function defineDataset(engine: BiEngine, def: DatasetDefinition): Promise<DefinedDataset> {
  const problems: FieldProblem[] = [];
  const given = def.columns ?? [];
  given.forEach((c, i) => { if (given.findIndex((o) => o.name === c.name) !== i) problems.push({ field: `columns.${i}.name`, problem: `"${c.name}" is listed twice` }); });
  if (problems.length) throw validationFailed(problems);

  if (def.kind === 'mock') return { source_table: null, sql: null, columns: mockColumns(given), mock_rows: checkedRows(given, def.mock_rows ?? []) };

  const source = def.source_table
    ? await tableColumns(engine, def.source_table)
    : await sqlColumns(engine, def.sql ?? '');
  const columns = def.kind === 'semantic' ? curated(source, given) : annotated(source, given);
  return { source_table: def.source_table ?? null, sql: def.source_table ? null : def.sql ?? null, columns, mock_rows: null };
}

async function tableColumns(engine: BiEngine, table: string): Promise<BiColumn[]> {
  const catalog = await engine.catalog();
  const spec = catalog.get(table);
  if (!spec) {
    throw validationFailed([{ field: 'source_table', problem: `"${table}" is not a table of the BI catalog (getBiCatalog lists them: ${[...catalog.keys()].join(', ')})` }]);
  }
  return spec.columns.map((c) => ({ name: c.name, type: c.type, label: null, description: null }));
}

async function sqlColumns(engine: BiEngine, sql: string): Promise<BiColumn[]> {
  const planned = await engine.plan(sql, 'sql');
  const problems: FieldProblem[] = [];
  if (planned.normalized === null) problems.push({ field: 'sql', problem: 'is a SELECT DuckDB cannot render back to embed in a dataset query; rewrite it (a plain SELECT ... FROM ...)' });
  planned.columns.forEach((c, i) => {
    if (!NAME.test(c.name)) problems.push({ field: 'sql', problem: `output column ${i + 1} is named "${c.name}"; give it an alias matching ${NAME.source} (AS name)` });
    else if (planned.columns.findIndex((o) => o.name === c.name) !== i) problems.push({ field: 'sql', problem: `two output columns are named "${c.name}"; alias one of them` });
  });
  if (problems.length) throw validationFailed(problems);
  return planned.columns.map((c) => ({ name: c.name, type: c.type, label: null, description: null }));
}

/** Every source column, with the labels and descriptions given for some of them. */
function annotated(source: BiColumn[], given: Schema<'BiColumnInput'>[]): BiColumn[] {
  checkGiven(source, given);
  return source.map((c) => {
    const g = given.find((x) => x.name === c.name);
    return { ...c, label: g?.label ?? null, description: g?.description ?? null };
  });
}

/** The given columns only, in their order (a semantic dataset's curated layer). */
function curated(source: BiColumn[], given: Schema<'BiColumnInput'>[]): BiColumn[] {
  checkGiven(source, given);
  return given.map((g) => ({ ...source.find((c) => c.name === g.name)!, label: g.label ?? null, description: g.description ?? null }));
}

function checkGiven(source: BiColumn[], given: Schema<'BiColumnInput'>[]): void {
  const problems: FieldProblem[] = [];
  given.forEach((g, i) => {
    const c = source.find((s) => s.name === g.name);
    if (!c) problems.push({ field: `columns.${i}.name`, problem: `"${g.name}" is not a column of the source (${source.slice(0, 30).map((s) => s.name).join(', ')})` });
    else if (g.type && g.type !== c.type) problems.push({ field: `columns.${i}.type`, problem: `is ${c.type} in the source, not ${g.type}` });
  });
  if (problems.length) throw validationFailed(problems);
}

function mockColumns(given: Schema<'BiColumnInput'>[]): BiColumn[] {
  return given.map((g) => ({ name: g.name, type: g.type!, label: g.label ?? null, description: g.description ?? null }));
}

function checkedRows(columns: Schema<'BiColumnInput'>[], rows: MockCell[][]): MockCell[][] {
  const problems: FieldProblem[] = [];
  rows.forEach((row, i) => {
    if (row.length !== columns.length) { problems.push({ field: `mock_rows.${i}`, problem: `has ${row.length} cells; the dataset has ${columns.length} columns` }); return; }
    row.forEach((cell, j) => {
      const why = cellMisfit(columns[j]!.type!, cell);
      if (why) problems.push({ field: `mock_rows.${i}.${j}`, problem: `${why} (column ${columns[j]!.name} is ${columns[j]!.type})` });
    });
  });
  if (problems.length) throw validationFailed(problems);
  return rows;
}

function cellMisfit(type: BiType, cell: MockCell): string | null {
  if (cell === null || type === 'json') return null;
  if (type === 'integer') return typeof cell === 'number' && Number.isSafeInteger(cell) ? null : 'must be an integer';
  return misfit(type, cell);
}

/** The DuckDB column type a mock column is created with. */
export const MOCK_TYPES: Record<BiType, string> = {
  string: 'VARCHAR', integer: 'BIGINT', number: 'DOUBLE', boolean: 'BOOLEAN', date: 'DATE', timestamp: 'TIMESTAMPTZ', json: 'JSON',
};

/** A mock cell as the text DuckDB casts to its column type (JSON text for a json column). */
export const mockText = (cell: MockCell, type: BiType): string | null =>
  cell === null ? null : type === 'json' || typeof cell === 'object' ? JSON.stringify(cell) : String(cell);
