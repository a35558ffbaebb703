// Housekeeping run by Temporal Schedules (declared in module.ts), not by timers in a process.
import { proxyActivities } from '@temporalio/workflow';
import type { MaintenanceActivities } from './activities.ts';

// Heartbeats every 5 s: a worker that dies mid-purge is replaced within 20 s, not 10 minutes (the
// deletes are repeatable: the next attempt deletes what is left).
const { purgeExpiredIdempotencyKeys: purge } = proxyActivities<MaintenanceActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '20 seconds',
  retry: { maximumAttempts: 3 },
});

export async function purgeExpiredIdempotencyKeys(): Promise<{ deleted: number }> {
  return { deleted: await purge() };
}
