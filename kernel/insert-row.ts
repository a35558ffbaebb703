// A new entity's INSERT written by hand from its metadata, so a create can send its row and its
// outbox event in one statement instead of the unit of work's flush (change sets, one query per
// table). Only for a plain row: scalar columns, no hooks, no version; anything else, or other
// new or removed entities pending in the unit of work, keeps the ORM's flush (`null`).
import { helper, ReferenceKind, type EntityManager, type EntityMetadata, type EntityProperty } from '@mikro-orm/postgresql';

export interface PlainInsert { table: string; columns: string[]; values: unknown[] }

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The entity's INSERT as columns and values, or null when only the ORM can write it. */
export function plainInsertOf(em: EntityManager, entity: object): PlainInsert | null {
  const uow = em.getUnitOfWork();
  const pending = uow.getPersistStack();
  if (pending.size !== 1 || !pending.has(entity) || uow.getRemoveStack().size) return null;
  // Already written by an earlier flush (created, then flushed before its event was recorded).
  if (helper(entity).__managed) return null;
  const meta = helper(entity).__meta as EntityMetadata<Record<string, unknown>>;
  if (meta.versionProperty || meta.embeddable || Object.keys(meta.hooks ?? {}).length || meta.discriminatorColumn) return null;
  const row = entity as Record<string, unknown>;
  const columns: string[] = [];
  const values: unknown[] = [];
  for (const prop of meta.props as EntityProperty<Record<string, unknown>>[]) {
    if (prop.persist === false || prop.generated || prop.formula) continue;
    if (prop.kind !== ReferenceKind.SCALAR || prop.fieldNames.length !== 1 || prop.hasConvertToDatabaseValueSQL) return null;
    if (row[prop.name] === undefined && prop.onCreate) row[prop.name] = prop.onCreate(row, em);
    const value = row[prop.name];
    // A column left to its database default would leave the entity without the value.
    if (value === undefined) return null;
    columns.push(quote(prop.fieldNames[0]!));
    values.push(value !== null && prop.customType ? prop.customType.convertToDatabaseValue(value, em.getPlatform(), { mode: 'query' }) : value);
  }
  return { table: quote(meta.tableName), columns, values };
}

/** After the row is written by hand: the entity is managed, unchanged, as a flush would leave it. */
export function markInserted(em: EntityManager, entity: object): void {
  const uow = em.getUnitOfWork();
  uow.getPersistStack().delete(entity);
  uow.register(entity, em.getComparator().prepareEntity(entity), { refresh: true });
}

/** Takes the entity out of the unit of work's queue before the other pending changes flush. */
export function holdBack(em: EntityManager, entity: object): void {
  em.getUnitOfWork().getPersistStack().delete(entity);
  em.getUnitOfWork().getIdentityMap().delete(entity);
}
