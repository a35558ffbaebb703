// The one place that knows which resources a task or activity may point at, and checks that a
// (type, id) pair names a row of the caller's workspace.
import { notFound, validationFailed } from '../../platform/errors.ts';
import type { TenantContext } from '../context.ts';

/**
 * Related resource type → its table. Only modules built in this codebase are listed; the
 * contract's other types (support_ticket, cms_entry, marketing_*, asset) answer 422 until their
 * module adds its table here.
 */
const TABLES: Record<string, string> = {
  lead: 'leads',
  contact: 'contacts',
  company: 'companies',
  deal: 'deals',
  invoice: 'invoices',
  task: 'tasks',
};

export const SUPPORTED_RELATED_TYPES = Object.keys(TABLES);

/**
 * Throws 422 (naming `field`) for a type no module here serves, and 404 (naming type and id)
 * when no such row exists in this workspace — another workspace's row included.
 */
export async function assertRelatedResource(ctx: TenantContext, type: string, id: string, field = 'related_resource_type'): Promise<void> {
  const table = Object.hasOwn(TABLES, type) ? TABLES[type]! : undefined;
  if (!table) {
    throw validationFailed([{ field, problem: `"${type}" is not supported yet; use one of ${SUPPORTED_RELATED_TYPES.join(', ')}` }]);
  }
  const rows = await ctx.em.getConnection().execute<unknown[]>(
    `select 1 from ${table} where workspace_id = ? and id = ?`, [ctx.workspaceId, id], 'all', ctx.em.getTransactionContext());
  if (!rows.length) throw notFound(type, id);
}
