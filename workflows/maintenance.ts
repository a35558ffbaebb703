// Housekeeping run by Temporal Schedules (platform/schedules.ts), not by timers in a process.
import { proxyActivities } from '@temporalio/workflow';
import type { MaintenanceActivities } from '../activities/maintenance.ts';

const { purgeExpiredIdempotencyKeys: purge } = proxyActivities<MaintenanceActivities>({
  startToCloseTimeout: '10 minutes',
  retry: { maximumAttempts: 3 },
});

export async function purgeExpiredIdempotencyKeys(): Promise<{ deleted: number }> {
  return { deleted: await purge() };
}
