// Keyset pagination over time-sortable ids, newest first. A cursor holds the last id returned;
// rows inserted while a client walks the pages never shift or repeat what it has seen.
import type { EntityManager, EntityName, FilterQuery } from '@mikro-orm/postgresql';
import { decodeCursor, encodeCursor } from '../../platform/cursor.ts';
import type { TenantContext } from '../context.ts';

export interface PageRequest { limit?: number; cursor?: string }
export interface Page<T> { items: T[]; next_cursor: string | null }

export const DEFAULT_LIMIT = 25;

export async function findPage<T extends { id: string; workspace_id: string }>(
  ctx: TenantContext,
  entity: EntityName<T>,
  list: string,
  where: FilterQuery<T>,
  page: PageRequest,
  em: EntityManager = ctx.em,
): Promise<Page<T>> {
  const limit = page.limit ?? DEFAULT_LIMIT;
  const scope = { secret: ctx.cursorSecret, workspaceId: ctx.workspaceId, list };
  const conditions: FilterQuery<T>[] = [{ workspace_id: ctx.workspaceId } as FilterQuery<T>, where];
  if (page.cursor) conditions.push({ id: { $lt: decodeCursor(scope, page.cursor).after } } as unknown as FilterQuery<T>);
  const rows = await em.find(entity, { $and: conditions } as FilterQuery<T>, {
    orderBy: { id: 'desc' } as never,
    limit: limit + 1,
  });
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, next_cursor: rows.length > limit && last ? encodeCursor(scope, { after: last.id }) : null };
}

/** Escapes LIKE wildcards so a user's search text matches literally. */
export const containsPattern = (text: string) => `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
