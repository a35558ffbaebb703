// Connection pool use of every open ORM of the process, read at scrape time (nothing per query):
// used and free connections, callers waiting for one, and the pool's size limit.
import type { MikroORM } from '@mikro-orm/postgresql';
import { Gauge, metricsRegistry } from './metrics.ts';

interface TarnPool { numUsed(): number; numFree(): number; numPendingAcquires(): number; numPendingCreates(): number; max: number }

const watched = new Set<MikroORM>();

function poolOf(orm: MikroORM): TarnPool | null {
  try {
    // knex keeps its tarn pool on the client; a closed ORM has none left.
    return ((orm.em.getConnection() as unknown as { getKnex(): { client: { pool?: TarnPool } } }).getKnex().client.pool) ?? null;
  } catch {
    return null;
  }
}

function eachPool(visit: (pool: TarnPool) => void) {
  for (const orm of watched) {
    const pool = poolOf(orm);
    if (pool) visit(pool);
    else watched.delete(orm);
  }
}

new Gauge({
  name: 'slab5_db_pool_connections', help: 'PostgreSQL pool connections by state (used, free, pending_acquire: callers waiting, pending_create: being opened).',
  labelNames: ['state'] as const, registers: [metricsRegistry],
  collect() {
    const totals = { used: 0, free: 0, pending_acquire: 0, pending_create: 0 };
    eachPool((p) => {
      totals.used += p.numUsed(); totals.free += p.numFree();
      totals.pending_acquire += p.numPendingAcquires(); totals.pending_create += p.numPendingCreates();
    });
    for (const [state, n] of Object.entries(totals)) this.set({ state }, n);
  },
});

new Gauge({
  name: 'slab5_db_pool_max', help: 'The PostgreSQL pool size limit (connections).', registers: [metricsRegistry],
  collect() {
    let max = 0;
    eachPool((p) => { max += p.max; });
    this.set(max);
  },
});

/** Reports this ORM's pool until it is closed. */
export function watchPool(orm: MikroORM): void {
  watched.add(orm);
}
