import { sql } from '../platform/db.ts';
import type { TenantContext } from './tenant.ts';

/**
 * The oldest row's id in this workspace whose column equals value case-insensitively; uses the
 * (workspace_id, lower(column)) indexes. Table and column are code constants, never user input.
 */
export async function findIdByLowerColumn(ctx: TenantContext, table: string, column: string, value: string): Promise<string | null> {
  // The match is found through the (workspace_id, lower(column)) index first (materialized), so
  // "order by id limit 1" cannot tempt the planner into walking the workspace's rows by id; and
  // "is not null" lets it use the partial unique indexes (where column is not null).
  const rows = await sql<{ id: string }[]>(ctx.em,
    `with matches as materialized (
       select id from ${table} where workspace_id = ? and ${column} is not null and lower(${column}) = lower(?)
     ) select id from matches order by id limit 1`,
    [ctx.workspaceId, value]);
  return rows[0]?.id ?? null;
}
