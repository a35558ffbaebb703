import { sql } from '../../platform/db.ts';
import type { ActivityDeps } from '../manifest.ts';

const BATCH = 5000;

export function createMaintenanceActivities(deps: ActivityDeps) {
  return {
    /** Deletes idempotency keys past their 24 h, in small batches so no lock is held long. */
    async purgeExpiredIdempotencyKeys(): Promise<number> {
      const em = deps.orm.em.fork();
      let total = 0;
      for (;;) {
        const rows = await sql<{ n: string }[]>(em,
          `with gone as (
             delete from idempotency_keys where ctid in (select ctid from idempotency_keys where expires_at < now() limit ${BATCH})
             returning 1
           ) select count(*) as n from gone`);
        const n = Number(rows[0]!.n);
        total += n;
        if (n < BATCH) return total;
      }
    },
  };
}

export type MaintenanceActivities = ReturnType<typeof createMaintenanceActivities>;
