// The idempotency-key purge with its worker SIGKILLed mid-run, then replaced: every expired key
// goes, every live one stays. The kill lands while the purge's first batch waits on row locks
// this test holds (seen in pg_stat_activity); the killed worker's statement may still finish once
// they are released (PostgreSQL notices a dead client only when it answers), and the replacement,
// picking the activity up once the killed one's heartbeats stop, deletes what is left.
import test from 'ava';
import { randomUUID } from 'node:crypto';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { workerProcesses } from '../helpers/worker-processes.ts';
import { waitUntil } from '../leads/helpers.ts';
import { sql } from '../../platform/db.ts';

const EXPIRED = 12_000;
const LIVE = 50;
let h: Harness;
const workers = workerProcesses('maintenance-crash');
test.before(async () => { h = await bootHarness({ TEMPORAL_TASK_QUEUE: workers.queue }); });
test.after.always(async () => { await workers.killAll(); await h?.close(); });

test('a worker killed mid-purge is replaced: expired keys are all deleted, live ones all kept', async (t) => {
  const { id } = await h.workspace();
  const insert = (n: number, expires: string, prefix: string) => h.sql(
    `insert into idempotency_keys (workspace_id, operation, key, request_hash, state, expires_at)
     select ?, 'createContact', ? || g, 'h', 'completed', now() + ?::interval from generate_series(1, ?) g`, [id, prefix, expires, n]);
  await insert(EXPIRED, '-1 hour', 'old-');
  await insert(LIVE, '23 hours', 'live-');

  // Hold row locks on this workspace's expired keys: the purge's first batch waits on them.
  let unlock!: () => void;
  let locked!: () => void;
  const isLocked = new Promise<void>((ok) => { locked = ok; });
  const holding = h.deps.orm.em.fork().transactional(async (em) => {
    await sql(em, 'select 1 from idempotency_keys where workspace_id = ? and expires_at < now() for update', [id]);
    locked();
    await new Promise<void>((ok) => { unlock = ok; });
  });
  await isLocked;
  try {
    const first = workers.start();
    const workflowId = `test-purge-crash-${randomUUID()}`;
    const handle = await h.deps.temporal.workflow.start('purgeExpiredIdempotencyKeys', { taskQueue: workers.queue, workflowId, args: [] });
    await waitUntil('the purge to wait on the locked keys', async () => (await h.sql(
      `select 1 from pg_stat_activity where wait_event_type = 'Lock' and query like '%delete from idempotency_keys%'`)).length > 0, 240_000, 100);
    await workers.kill(first);
    t.is(first.signalCode, 'SIGKILL');
    unlock();
    await holding;

    const second = workers.start();
    const result = await handle.result() as { deleted: number };
    t.true(result.deleted >= 0);
    const left = await h.sql<{ expired: number; live: number }>(
      `select count(*) filter (where expires_at < now())::int as expired, count(*) filter (where expires_at >= now())::int as live
       from idempotency_keys where workspace_id = ?`, [id]);
    t.deepEqual(left[0], { expired: 0, live: LIVE }, 'every expired key deleted, every live one kept');
    const events = (await handle.fetchHistory()).events ?? [];
    const retried = events.map((e) => e.activityTaskStartedEventAttributes).find((a) => a && (a.attempt ?? 0) >= 2);
    t.is(retried?.identity, workers.identity(second), 'the purge retried on the replacement worker');
  } finally {
    unlock?.();
    await holding.catch(() => undefined);
  }
});
