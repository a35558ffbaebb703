import { sql } from '../platform/db.ts';
import type { TenantContext } from './tenant.ts';
import { NATURAL_KEY_LOCK, naturalKeyLockParams } from './locks.ts';

// The match is found through the (workspace_id, lower(column)) index first (materialized), so
// "order by id limit 1" cannot tempt the planner into walking the workspace's rows by id; and
// "is not null" lets it use the partial unique indexes (where column is not null).
const lowerColumnLookup = (table: string, column: string) =>
  `with matches as materialized (
     select id from ${table} where workspace_id = ? and ${column} is not null and lower(${column}) = lower(?)
   ) select id from matches order by id limit 1`;

/**
 * The oldest row's id in this workspace whose column equals value case-insensitively; uses the
 * (workspace_id, lower(column)) indexes. Table and column are code constants, never user input.
 */
export async function findIdByLowerColumn(ctx: TenantContext, table: string, column: string, value: string): Promise<string | null> {
  const rows = await sql<{ id: string }[]>(ctx.em, lowerColumnLookup(table, column), [ctx.workspaceId, value]);
  return rows[0]?.id ?? null;
}

/**
 * findIdByLowerColumn under the natural-key lock of `key` (lockNaturalKey), in one round trip: the
 * two statements of the list run in order, and the lookup (its own snapshot, as every statement
 * under READ COMMITTED) sees whatever an earlier holder of the lock committed.
 */
export async function lockAndFindIdByLowerColumn(ctx: TenantContext, key: string[], table: string, column: string, value: string): Promise<string | null> {
  const [, rows] = await sql<[unknown[], { id: string }[]]>(ctx.em, `${NATURAL_KEY_LOCK}; ${lowerColumnLookup(table, column)}`,
    [...naturalKeyLockParams(key), ctx.workspaceId, value]);
  return rows[0]?.id ?? null;
}
