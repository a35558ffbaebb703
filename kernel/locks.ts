import { sql, type EntityManager } from '../platform/db.ts';

/**
 * Serialises writers of one natural key (an email, a company name) until the transaction ends,
 * so find-or-create and uniqueness checks answer deterministically under concurrency.
 * Unique indexes remain the last line of defence.
 */
export async function lockNaturalKey(em: EntityManager, ...parts: string[]): Promise<void> {
  await sql(em, NATURAL_KEY_LOCK, naturalKeyLockParams(parts));
}

/** The lock's statement and its parameters, for a caller that sends it with the statement it guards. */
export const NATURAL_KEY_LOCK = 'select pg_advisory_xact_lock(hashtextextended(?, 0))';
export const naturalKeyLockParams = (parts: string[]): [string] => [JSON.stringify(parts)];
