// MikroORM on PostgreSQL: one ORM per process, a forked EntityManager per request or activity.
// The entities and migrations come from the caller (the app composes them from its modules).
import { MikroORM, type EntityManager, type EntitySchema, type Options } from '@mikro-orm/postgresql';
import { Migrator, type Migration } from '@mikro-orm/migrations';
import type { Logger } from './logger.ts';
import { redactDbMessage } from './log-redaction.ts';
import { watchPool } from './db-metrics.ts';
import { knexClientOf, senderOf, transactionEnded, type DriverConnection } from './transaction.ts';

export type { MikroORM, EntityManager };

export interface MigrationEntry { name: string; class: new (...args: any[]) => Migration }
export interface OrmSchema { entities: EntitySchema<any, any>[]; migrations: MigrationEntry[] }

export function ormOptions(databaseUrl: string, schema: OrmSchema, logger?: Logger): Options {
  return {
    clientUrl: databaseUrl,
    entities: schema.entities,
    extensions: [Migrator],
    discovery: { warnWhenNoEntities: false },
    migrations: { migrationsList: schema.migrations, transactional: true, allOrNothing: true, tableName: 'mikro_orm_migrations', snapshot: false },
    pool: { min: 0, max: 10 },
    debug: false,
    // Query logging is off (debug: false); whatever MikroORM does log loses its SQL literals, which
    // are the bound values it inlines (platform/log-redaction.ts).
    logger: (message: string) => logger?.debug({ orm: redactDbMessage(message) }),
    allowGlobalContext: false,
  };
}

/** Connection-level failures (the database is down, restarting or refusing connections), as
 * opposed to an error of the query: the caller can only retry later. */
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', '57P01', '57P02', '57P03', '53300']);
export function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { code?: unknown; name?: string; message?: string } | null;
  if (!e || typeof e !== 'object') return false;
  if (typeof e.code === 'string' && (UNAVAILABLE_CODES.has(e.code) || /^08[0-9A-Z]{3}$/.test(e.code))) return true;
  if (e.name === 'ConnectionException' || e.name === 'KnexTimeoutError') return true;
  return /Connection terminated|Connection ended unexpectedly|not queryable|server closed the connection unexpectedly|Timeout acquiring a connection|connect ECONNREFUSED|the database system is (starting up|shutting down|in recovery)/i.test(e.message ?? '');
}

export async function initOrm(databaseUrl: string, schema: OrmSchema, logger?: Logger): Promise<MikroORM> {
  const orm = await MikroORM.init(ormOptions(databaseUrl, schema, logger));
  watchPool(orm);
  return orm;
}

export async function migrate(orm: MikroORM): Promise<string[]> {
  const applied = await orm.getMigrator().up();
  return applied.map((m) => m.name);
}

interface DriverClient { acquireConnection(): Promise<DriverConnection>; releaseConnection(connection: DriverConnection): Promise<unknown> }
interface KnexHandle { client: DriverClient; isCompleted?: () => boolean }

/**
 * Raw SQL on the EntityManager's current transaction (or autocommit outside one). The one way to
 * run SQL beside the ORM: a bare connection.execute() would run outside the transaction.
 * The statement is formatted exactly as the ORM's execute() formats it (values inlined by the
 * platform), then sent straight to the driver connection the ORM's pool (or the transaction)
 * holds: none of the query builder, query logging and result mapping layers a raw statement
 * does not need, which were a large share of a request's CPU time. In a transaction of
 * inTransaction() (platform/transaction.ts) it goes through that transaction, which may send its
 * BEGIN with it.
 */
export async function sql<T = Record<string, unknown>[]>(em: EntityManager, query: string, params: unknown[] = []): Promise<T> {
  const trx = em.getTransactionContext<KnexHandle & object>();
  if (trx?.isCompleted?.()) throw transactionEnded();
  const text = em.getPlatform().formatQuery(query, params);
  const sender = senderOf(em);
  const client = sender ? null : trx?.client ?? knexClientOf(em);
  const connection = client ? await client.acquireConnection() : null;
  try {
    const res = sender ? await sender.send(text) : await connection!.query(text);
    // A statement list answers one result per statement, as the ORM's execute() did.
    return (Array.isArray(res) ? res.map((r) => r.rows) : res.rows) as T;
  } catch (err) {
    // "statement - reason", as the ORM words a driver error, with the statement as written (its
    // placeholders, never the values bound to them) so a log line says which statement failed.
    if (err instanceof Error) err.message = `${query} - ${err.message}`;
    throw err;
  } finally {
    if (connection) await client!.releaseConnection(connection);
  }
}
