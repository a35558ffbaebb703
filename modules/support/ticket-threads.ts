// A ticket's messages or comments as one list: 404 for a ticket that is not in this workspace,
// `query` over the body, the custom-field filter, and a cursor bound to that ticket's list.
import type { EntityName, FilterQuery } from '@mikro-orm/postgresql';
import type { TenantContext } from '../../kernel/tenant.ts';
import { containsPattern, findPage, type Page, type PageRequest, type SortKey } from '../../kernel/pagination.ts';
import { customFieldFilter } from '../../kernel/custom-field-filter.ts';
import { getTicket } from './tickets.ts';

export interface ThreadFilters extends PageRequest { query?: string; custom_field_key?: string; custom_field_value?: string }

type ThreadRow = { id: string; workspace_id: string; ticket_id: string; search_text?: string | null };

export async function listThread<T extends ThreadRow>(
  ctx: TenantContext, entity: EntityName<T> & { meta: { tableName: string } }, ticketId: string, filters: ThreadFilters, sort: SortKey<T>,
): Promise<Page<T>> {
  await getTicket(ctx, ticketId);
  const where: Record<string, unknown> = { ticket_id: ticketId };
  if (filters.query) where.search_text = { $like: containsPattern(filters.query) };
  const custom = customFieldFilter(filters.custom_field_key, filters.custom_field_value);
  return findPage(ctx, entity, `${entity.meta.tableName}:${ticketId}`, { ...where, ...custom } as FilterQuery<T>, filters, sort);
}
