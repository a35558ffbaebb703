// Housekeeping run by Temporal Schedules (declared in module.ts), not by timers in a process.
import { proxyActivities } from '@temporalio/workflow';
import type { MaintenanceActivities } from './activities.ts';

const { purgeExpiredIdempotencyKeys: purge } = proxyActivities<MaintenanceActivities>({
  startToCloseTimeout: '10 minutes',
  retry: { maximumAttempts: 3 },
});

export async function purgeExpiredIdempotencyKeys(): Promise<{ deleted: number }> {
  return { deleted: await purge() };
}
