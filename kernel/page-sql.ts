// The SQL of a list page written straight from the entity's metadata, for the filters lists use
// (equality, null, comparisons, IN, LIKE, $and/$or over scalar columns): the ORM's query builder
// (criteria nodes, knex, value quoting) cost more CPU than the rest of a list request. Any other
// filter (JSON containment, raw fragments, relations) answers null and the caller keeps the
// query builder, so both paths give the same rows.
import type { EntityManager, EntityMetadata, EntityProperty, Platform } from '@mikro-orm/postgresql';
import { sql } from '../platform/db.ts';

export interface WhereSql { sql: string; params: unknown[] }

const COMPARISONS: Record<string, string> = { $eq: '=', $ne: '!=', $lt: '<', $lte: '<=', $gt: '>', $gte: '>=', $like: 'like', $ilike: 'ilike' };
/** Not representable here: fall back to the query builder. */
class Unsupported extends Error {}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date) && Object.getPrototypeOf(v) === Object.prototype;

export interface OrderKey { field: string; direction: 'asc' | 'desc'; nullsLast?: boolean }

/**
 * Rows of the entity's table matching `where`, in order, as plain objects in the entity's shape
 * (read-only: not managed), or null when the filter needs the query builder. The rows go through
 * the ORM's result mapper, and column types the driver does not convert (bigint, arrays) through
 * the property's type, as hydration would.
 */
export async function selectRows<T>(em: EntityManager, meta: EntityMetadata<any>, where: unknown, order: OrderKey[], limit: number): Promise<T[] | null> {
  const platform = em.getPlatform();
  const compiled = whereSql(meta, platform, where);
  if (!compiled) return null;
  const orderSql = order.map(({ field, direction, nullsLast }) =>
    `${platform.quoteIdentifier(meta.properties[field]!.fieldNames[0]!)} ${direction}${nullsLast ? ' nulls last' : ''}`).join(', ');
  const found = await sql<Array<Record<string, unknown>>>(em,
    `select * from ${platform.quoteIdentifier(meta.tableName)} where ${compiled.sql}${orderSql ? ` order by ${orderSql}` : ''} limit ${Number(limit)}`,
    compiled.params);
  const comparator = em.getComparator();
  return convertedRows<T>(em, meta, found.map((row) => comparator.mapResult(meta.className, row) as Record<string, unknown>));
}

/** Values the result mapper leaves as the driver gave them, through the property's type. */
export function convertedRows<T>(em: EntityManager, meta: EntityMetadata<any>, rows: Array<Record<string, unknown>>): T[] {
  const platform = em.getPlatform();
  const converted = meta.props.filter((prop) => prop.customType);
  for (const row of rows) {
    for (const prop of converted) {
      const value = row[prop.name];
      if (value !== undefined && value !== null) row[prop.name] = prop.customType!.convertToJSValue(value, platform);
    }
  }
  return rows as T[];
}

/** The condition as a parameterized SQL fragment (`?` placeholders, as sql() takes), or null. */
export function whereSql(meta: EntityMetadata<any>, platform: Platform, where: unknown): WhereSql | null {
  const params: unknown[] = [];
  try {
    return { sql: node(meta, platform, where, params), params };
  } catch (err) {
    if (err instanceof Unsupported) return null;
    throw err;
  }
}

function node(meta: EntityMetadata<any>, platform: Platform, where: unknown, params: unknown[]): string {
  if (!isPlainObject(where) || Object.getOwnPropertySymbols(where).length) throw new Unsupported();
  const parts: string[] = [];
  for (const [key, value] of Object.entries(where)) {
    if (key === '$and' || key === '$or') {
      if (!Array.isArray(value)) throw new Unsupported();
      const items = value.map((v) => node(meta, platform, v, params));
      // An empty $and is true; an empty $or matches nothing (as the ORM reads them).
      if (!items.length) { parts.push(key === '$and' ? 'true' : 'false'); continue; }
      parts.push(`(${items.join(key === '$and' ? ' and ' : ' or ')})`);
      continue;
    }
    const prop = meta.properties[key] as EntityProperty | undefined;
    if (!prop || prop.kind !== 'scalar' || prop.fieldNames?.length !== 1 || prop.persist === false || prop.formula) throw new Unsupported();
    // JSON and array columns compare by their own operators: the query builder's job.
    if (['json', 'object', 'array'].includes(String(prop.runtimeType)) || prop.array) throw new Unsupported();
    const column = platform.quoteIdentifier(prop.fieldNames[0]!);
    if (!isPlainObject(value)) { parts.push(comparison(column, '$eq', value, prop, platform, params)); continue; }
    const ops = Object.entries(value);
    if (!ops.length) throw new Unsupported();
    for (const [op, operand] of ops) parts.push(comparison(column, op, operand, prop, platform, params));
  }
  if (!parts.length) return 'true';
  return parts.length === 1 ? parts[0]! : `(${parts.join(' and ')})`;
}

function comparison(column: string, op: string, operand: unknown, prop: EntityProperty, platform: Platform, params: unknown[]): string {
  if (op === '$in') {
    if (!Array.isArray(operand)) throw new Unsupported();
    if (!operand.length) return 'false';
    if (operand.some((v) => v === null)) throw new Unsupported();
    params.push(operand.map((v) => dbValue(v, prop, platform)));
    return `${column} in (?)`;
  }
  const sqlOp = COMPARISONS[op];
  if (!sqlOp) throw new Unsupported();
  if (operand === null) {
    if (op === '$eq') return `${column} is null`;
    if (op === '$ne') return `${column} is not null`;
    throw new Unsupported();
  }
  if (operand === undefined || isPlainObject(operand) || Array.isArray(operand)) throw new Unsupported();
  params.push(dbValue(operand, prop, platform));
  return `${column} ${sqlOp} ?`;
}

/** A value as the column stores it; instants as ISO text with their zone (never the session's). */
function dbValue(value: unknown, prop: EntityProperty, platform: Platform): unknown {
  if (!['string', 'number', 'boolean'].includes(typeof value) && !(value instanceof Date)) throw new Unsupported();
  const converted = prop.customType ? prop.customType.convertToDatabaseValue(value, platform, { mode: 'query' }) : value;
  return converted instanceof Date ? converted.toISOString() : converted;
}
