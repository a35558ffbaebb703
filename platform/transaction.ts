// A transaction on one pooled connection, without knex's transaction machinery. MikroORM's
// em.transactional() builds a knex Transaction per call (an event emitter, a promise chain and a
// whole knex instance re-made for the transaction's client): about 0.5 ms of CPU for an empty
// transaction, a quarter of a create's CPU in the API. Here the transaction is the connection,
// a client that always answers with it, and BEGIN / COMMIT / ROLLBACK sent by hand. BEGIN rides
// on the first statement (one round trip less) and is never sent when nothing ran.
// MikroORM and knex take it where they take a knex transaction: knex's `.transacting()` only
// reads its `client`; MikroORM asks `transaction()` for a savepoint when a nested
// em.transactional() runs inside it, then calls `commit()` / `rollback()` on that savepoint.
import type { EntityManager } from '@mikro-orm/postgresql';

/** A pg connection as knex's pool hands it out: `query(text)` answers one result, or one per statement of a list. */
export interface DriverConnection { query(text: string): Promise<DriverResult | DriverResult[]> }
export interface DriverResult { rows: unknown[] }
/** What sql() (platform/db.ts) sends its statements through inside a transaction. */
export interface StatementSender { send(text: string): Promise<DriverResult | DriverResult[]>; isCompleted(): boolean }

interface KnexClient {
  acquireConnection(): Promise<DriverConnection>;
  releaseConnection(connection: DriverConnection): Promise<unknown>;
  query(connection: DriverConnection, query: unknown): Promise<unknown>;
}

/** The client of the ORM's knex: its pool hands out the connections. */
export const knexClientOf = (em: EntityManager): KnexClient =>
  (em.getConnection() as unknown as { getKnex(): { client: KnexClient } }).getKnex().client;

export const transactionEnded = () =>
  new Error('Transaction query already complete: a statement ran on an EntityManager whose transaction has ended.');

class Transaction implements StatementSender {
  /** The client knex's builders run on (`.transacting(trx)` takes `trx.client`): always this connection. */
  readonly client: KnexClient;
  private began: Promise<unknown> | null = null;
  private ended = false;
  private savepoints = 0;

  constructor(base: KnexClient, private readonly connection: DriverConnection) {
    const client = Object.create(base) as KnexClient & { transacting: boolean };
    client.transacting = true;
    client.acquireConnection = () => Promise.resolve(connection);
    client.releaseConnection = () => Promise.resolve();
    client.query = async (conn, query) => {
      if (conn !== connection) throw new Error('Invalid connection for transaction query.');
      this.assertOpen();
      await this.begin();
      return base.query.call(client, conn, query);
    };
    this.client = client;
  }

  isCompleted(): boolean { return this.ended; }

  /** A statement of sql(): the first one carries the BEGIN, whose result is dropped. */
  async send(text: string): Promise<DriverResult | DriverResult[]> {
    this.assertOpen();
    if (this.began) { await this.began; return this.connection.query(text); }
    const sent = this.connection.query(`begin; ${text}`);
    this.began = sent.catch(() => undefined);
    const results = await sent as DriverResult[];
    return results.length === 2 ? results[1]! : results.slice(1);
  }

  /** A savepoint for a nested em.transactional() (MikroORM's NESTED propagation). */
  async transaction(): Promise<Savepoint> {
    const name = `slab5_sp${++this.savepoints}`;
    await this.send(`savepoint ${name}`);
    return new Savepoint(this, name);
  }

  async commit(): Promise<void> {
    this.ended = true;
    if (this.began) await this.connection.query('commit');
  }

  /** Rolls back what ran; a connection that broke is left for the pool to drop. */
  async rollback(): Promise<void> {
    this.ended = true;
    if (this.began) await this.connection.query('rollback').catch(() => undefined);
  }

  private begin(): Promise<unknown> {
    return (this.began ??= this.connection.query('begin'));
  }

  private assertOpen(): void {
    if (this.ended) throw transactionEnded();
  }
}

class Savepoint implements StatementSender {
  readonly client: KnexClient;
  /** MikroORM's commit() does `ctx.commit(); await ctx.executionPromise`. */
  executionPromise: Promise<unknown> = Promise.resolve();
  private done = false;

  constructor(private readonly parent: Transaction, private readonly name: string) { this.client = parent.client; }

  isCompleted(): boolean { return this.done || this.parent.isCompleted(); }
  send(text: string): Promise<DriverResult | DriverResult[]> { return this.parent.send(text); }
  transaction(): Promise<Savepoint> { return this.parent.transaction(); }
  commit(): void { this.done = true; this.executionPromise = this.parent.send(`release savepoint ${this.name}`); }
  async rollback(): Promise<void> { this.done = true; await this.parent.send(`rollback to savepoint ${this.name}`); }
}

/** The StatementSender an EntityManager's statements go through, when it is in one of our transactions. */
export function senderOf(em: EntityManager): StatementSender | null {
  const ctx = em.getTransactionContext<object>();
  return ctx instanceof Transaction || ctx instanceof Savepoint ? ctx : null;
}

/**
 * Runs `work` in one transaction on a unit of work of its own (a fork of `em` that keeps what `em`
 * already loaded), flushes that unit of work, and commits; any error rolls back and is rethrown.
 * What em.transactional() does, for a fraction of its CPU, except that the fork's entities are not
 * merged back into `em` afterwards (nothing reads a request's EntityManager after its write).
 * Inside a transaction already, it is em.transactional()'s savepoint.
 */
export async function inTransaction<T>(em: EntityManager, work: (tx: EntityManager) => Promise<T>): Promise<T> {
  if (em.isInTransaction()) return em.transactional(work);
  const base = knexClientOf(em);
  const connection = await base.acquireConnection();
  const trx = new Transaction(base, connection);
  const tx = em.fork({ clear: false });
  tx.setTransactionContext(trx);
  try {
    const result = await work(tx);
    await tx.flush();
    await trx.commit();
    return result;
  } catch (err) {
    await trx.rollback();
    throw err;
  } finally {
    await base.releaseConnection(connection);
  }
}
