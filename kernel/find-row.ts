// One row to read, not to change (a stage to copy fields from, a lookup by key): a plain object in
// the entity's shape, by SQL written from the entity's metadata (kernel/page-sql.ts) instead of
// em.findOne's query building and hydration into the identity map, which cost more CPU than a
// small create's own statements. Filters page-sql cannot write keep em.findOne.
import { Utils, type EntityManager, type EntityName, type FilterQuery } from '@mikro-orm/postgresql';
import { selectRows, type OrderKey } from './page-sql.ts';

export async function findRow<T extends object>(em: EntityManager, entity: EntityName<T>, where: FilterQuery<T>, order: OrderKey[] = []): Promise<T | null> {
  const meta = em.getMetadata().get(Utils.className(entity));
  const rows = await selectRows<T>(em, meta, where, order, 1);
  if (rows) return rows[0] ?? null;
  const orderBy = Object.fromEntries(order.map((o) => [o.field, o.nullsLast ? `${o.direction} nulls last` : o.direction]));
  return em.findOne(entity, where, { orderBy: orderBy as never });
}
