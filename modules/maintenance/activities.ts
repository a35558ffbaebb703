import { Context } from '@temporalio/activity';
import { sql } from '../../platform/db.ts';
import type { ActivityDeps } from '../manifest.ts';

const BATCH = 5000;
/** How often a running purge says it is alive (a batch waiting on a row lock still counts as alive). */
const HEARTBEAT_EVERY_MS = 5_000;

export function createMaintenanceActivities(deps: ActivityDeps) {
  return {
    /** Deletes idempotency keys past their 24 h, in small batches so no lock is held long. */
    async purgeExpiredIdempotencyKeys(): Promise<number> {
      const em = deps.orm.em.fork();
      const context = Context.current();
      const beat = setInterval(() => context.heartbeat(), HEARTBEAT_EVERY_MS);
      let total = 0;
      try {
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
      } finally {
        clearInterval(beat);
      }
    },
  };
}

export type MaintenanceActivities = ReturnType<typeof createMaintenanceActivities>;
