import { sql, type EntityManager } from '../platform/db.ts';

/**
 * Serialises writers of one natural key (an email, a company name) until the transaction ends,
 * so find-or-create and uniqueness checks answer deterministically under concurrency.
 * Unique indexes remain the last line of defence.
 */
export async function lockNaturalKey(em: EntityManager, ...parts: string[]): Promise<void> {
  await sql(em, 'select pg_advisory_xact_lock(hashtextextended(?, 0))', [JSON.stringify(parts)]);
}
