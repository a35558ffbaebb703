// Checks that a polymorphic (type, id) reference names a row of the caller's workspace. Which
// types exist, and their tables, each module declares in its manifest; the app composes them.
import { notFound, validationFailed } from '../platform/errors.ts';
import { sql } from '../platform/db.ts';
import type { TenantContext } from './tenant.ts';

export type { RelatedResourceTables } from './tenant.ts';

/**
 * Throws 422 (naming `field`) for a type no module serves, and 404 (naming type and id) when no
 * such row exists in this workspace — another workspace's row included.
 */
export async function assertRelatedResource(ctx: TenantContext, type: string, id: string, field = 'related_resource_type'): Promise<void> {
  const table = ctx.resources.get(type);
  if (!table) {
    throw validationFailed([{ field, problem: `"${type}" is not supported yet; use one of ${[...ctx.resources.keys()].join(', ')}` }]);
  }
  const rows = await sql<unknown[]>(ctx.em, `select 1 from ${table} where workspace_id = ? and id = ?`, [ctx.workspaceId, id]);
  if (!rows.length) throw notFound(type, id);
}
