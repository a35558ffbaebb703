// Keyset pagination, the one implementation every list uses. Rows are ordered by one sort column
// (newest id first when none is given) with the id as tiebreaker; a signed cursor holds the last
// row's (sort value, id). Rows inserted while a client walks the pages never shift or repeat what
// it has seen. Nulls sort last in either direction.
import { QueryOrder, Utils, type EntityManager, type EntityName, type FilterQuery } from '@mikro-orm/postgresql';
import { decodeCursor, encodeCursor, invalidCursor, type CursorScope } from '../platform/cursor.ts';
import { convertedRows, selectRows, type OrderKey } from './page-sql.ts';
import type { TenantContext } from './tenant.ts';

export interface PageRequest { limit?: number; cursor?: string }
export interface Page<T> { items: T[]; next_cursor: string | null }

export const DEFAULT_LIMIT = 25;

type Row = { id: string; workspace_id: string };
type KeyValue = string | number | null;

export interface SortKey<T> { field: keyof T & string; direction: 'asc' | 'desc' }

export async function findPage<T extends Row>(
  ctx: TenantContext,
  entity: EntityName<T>,
  list: string,
  where: FilterQuery<T>,
  page: PageRequest,
  sort?: SortKey<T>,
  em: EntityManager = ctx.em,
): Promise<Page<T>> {
  const limit = page.limit ?? DEFAULT_LIMIT;
  const scope: CursorScope = { secret: ctx.cursorSecret, workspaceId: ctx.workspaceId, list };
  const conditions: FilterQuery<T>[] = [{ workspace_id: ctx.workspaceId } as FilterQuery<T>, where];
  if (page.cursor) conditions.push(afterCondition(sort, decodePosition(scope, page.cursor, Boolean(sort))));

  const rows = await findRows(em, entity, { $and: conditions } as FilterQuery<T>, sort, limit + 1);
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  let next_cursor: string | null = null;
  if (rows.length > limit && last) {
    const after = sort ? JSON.stringify([toKeyValue(last[sort.field]), last.id]) : last.id;
    next_cursor = encodeCursor(scope, { after });
  }
  return { items, next_cursor };
}

/**
 * The page's rows as plain objects in the entity's shape, not managed entities: a list only reads
 * them, and hydrating each row into the identity map was most of a list request's CPU time. The
 * SQL is written from the entity's metadata when the filter allows it (kernel/page-sql.ts), else
 * built by the ORM's query builder, whose rows get the same conversions.
 */
async function findRows<T extends object>(em: EntityManager, entity: EntityName<T>, where: FilterQuery<T>, sort: SortKey<T> | undefined, limit: number): Promise<T[]> {
  const meta = em.getMetadata().get(Utils.className(entity));
  const order: OrderKey[] = sort
    ? [{ field: sort.field, direction: sort.direction, nullsLast: true }, { field: 'id', direction: sort.direction }]
    : [{ field: 'id', direction: 'desc' }];
  const rows = await selectRows<T>(em, meta, where, order, limit);
  if (rows) return rows;
  const nullsLast = (d: 'asc' | 'desc') => (d === 'asc' ? QueryOrder.ASC_NULLS_LAST : QueryOrder.DESC_NULLS_LAST);
  const orderBy = sort ? { [sort.field]: nullsLast(sort.direction), id: sort.direction } : { id: 'desc' };
  const built = await em.createQueryBuilder(entity).select('*').where(where).orderBy(orderBy as never).limit(limit).execute('all', true);
  return convertedRows<T>(em, meta, built as unknown as Array<Record<string, unknown>>);
}

function toKeyValue(value: unknown): KeyValue {
  if (value instanceof Date) return value.toISOString();
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'string') return value;
  return String(value);
}

interface Position { value: KeyValue; id: string }

function decodePosition(scope: CursorScope, cursor: string, sorted: boolean): Position {
  const { after } = decodeCursor(scope, cursor);
  if (!sorted) return { value: null, id: after };
  // The signature vouches for the payload; the shape check guards a cursor of another format.
  try {
    const parsed = JSON.parse(after) as unknown;
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[1] === 'string'
      && (parsed[0] === null || ['string', 'number'].includes(typeof parsed[0]))) {
      return { value: parsed[0] as KeyValue, id: parsed[1] };
    }
  } catch { /* falls through */ }
  throw invalidCursor();
}

/** Rows strictly after the position in (sort value nulls last, id) order. */
function afterCondition<T>(sort: SortKey<T> | undefined, position: Position): FilterQuery<T> {
  const beyond = (direction: 'asc' | 'desc') => (direction === 'asc' ? '$gt' : '$lt');
  if (!sort) return { id: { $lt: position.id } } as unknown as FilterQuery<T>;
  const op = beyond(sort.direction);
  const { field } = sort;
  if (position.value === null) return { [field]: null, id: { [op]: position.id } } as FilterQuery<T>;
  return {
    $or: [
      { [field]: { [op]: position.value } },
      { [field]: position.value, id: { [op]: position.id } },
      { [field]: null },
    ],
  } as FilterQuery<T>;
}

/** Escapes LIKE wildcards so a user's search text matches literally. */
export const containsPattern = (text: string) => `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
