// The catalog BI serves and reads: every module's declared tables (kernel/bi-tables.ts), checked
// against the migrated schema, with the columns' BI types as a query sees them (DuckDB binds a
// SELECT over the empty catalog, so the types are exactly those of a snapshot).
import type { DuckDBInstance } from '@duckdb/node-api';
import { sql, type MikroORM } from '../../../platform/db.ts';
import { BI_HIDDEN_COLUMNS, type BiTables } from '../../../kernel/bi-tables.ts';
import type { BiType } from '../entities.ts';
import { biTypeOf } from './values.ts';
import { quoteIdent } from './sql-text.ts';
import type { CopySource, TrustedBuilder } from './trusted.ts';

/** A catalog column: its BI type, its PostgreSQL type and the DuckDB type a snapshot gives it. */
export interface CatalogColumn { name: string; type: BiType; pgType: string; duckType: string }
export interface CatalogTable { name: string; module: string; description: string; events: readonly string[]; columns: CatalogColumn[] }
export type Catalog = ReadonlyMap<string, CatalogTable>;

/** The declared tables with their columns and PostgreSQL types; a declaration the schema lacks is a defect. */
export async function declaredSources(orm: MikroORM, tables: BiTables): Promise<CopySource[]> {
  if (!tables.length) return [];
  const rows = await sql<{ table_name: string; column_name: string; data_type: string; udt_name: string }[]>(orm.em.fork(),
    `select table_name, column_name, data_type, udt_name from information_schema.columns
     where table_schema = 'public' and table_name in (select jsonb_array_elements_text(?::jsonb)) order by ordinal_position`,
    [JSON.stringify(tables.map((t) => t.table))]);
  return tables.map((t) => {
    const existing = rows.filter((r) => r.table_name === t.table);
    const problem = (what: string) => new Error(`BI catalog: module ${t.module} declares ${what}; fix its manifest's biTables.`);
    if (!existing.length) throw problem(`table "${t.table}", which the database does not have`);
    if (!existing.some((r) => r.column_name === 'workspace_id')) throw problem(`table "${t.table}", which has no workspace_id column`);
    const names = t.columns ?? existing.map((r) => r.column_name).filter((c) => !BI_HIDDEN_COLUMNS.includes(c));
    return {
      table: t.table,
      columns: names.map((name) => {
        const row = existing.find((r) => r.column_name === name);
        if (!row) throw problem(`column "${t.table}.${name}", which the database does not have`);
        return { name, pgType: row.data_type === 'USER-DEFINED' || row.data_type === 'ARRAY' ? row.udt_name : row.data_type };
      }),
    };
  });
}

/** Builds the empty catalog file and reads each column's type back through a planner on it. */
export async function resolveCatalog(
  tables: BiTables, sources: CopySource[], builder: TrustedBuilder, schemaFile: string,
  openPlanner: (file: string) => Promise<DuckDBInstance>,
): Promise<{ catalog: Catalog; planner: DuckDBInstance }> {
  await builder.buildSchema(schemaFile, sources);
  const planner = await openPlanner(schemaFile);
  const conn = await planner.connect();
  try {
    const catalog = new Map<string, CatalogTable>();
    for (const [i, t] of tables.entries()) {
      const source = sources[i]!;
      const prepared = await conn.prepare(`SELECT * FROM ${quoteIdent(t.table)}`);
      const columns = source.columns.map((c, j) => {
        const duck = prepared.columnType(j);
        return { name: c.name, pgType: c.pgType, type: biTypeOf(duck), duckType: duck.alias ?? String(duck) };
      });
      prepared.destroySync();
      catalog.set(t.table, { name: t.table, module: t.module, description: t.description, events: t.events, columns });
    }
    return { catalog, planner };
  } catch (err) {
    planner.closeSync();
    throw err;
  } finally {
    conn.closeSync();
  }
}
