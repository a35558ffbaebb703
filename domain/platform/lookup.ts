import type { TenantContext } from '../context.ts';

/**
 * The oldest row's id in this workspace whose column equals value case-insensitively; uses the
 * (workspace_id, lower(column)) indexes. Table and column are code constants, never user input.
 */
export async function findIdByLowerColumn(ctx: TenantContext, table: string, column: string, value: string): Promise<string | null> {
  const rows = await ctx.em.getConnection().execute<{ id: string }[]>(
    // "is not null" lets the planner use the partial unique indexes (where column is not null).
    `select id from ${table} where workspace_id = ? and ${column} is not null and lower(${column}) = lower(?) order by id limit 1`,
    [ctx.workspaceId, value], 'all', ctx.em.getTransactionContext());
  return rows[0]?.id ?? null;
}
