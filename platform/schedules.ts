// The Temporal Schedules Slab5 needs, created by the worker at start when missing. Creating is
// idempotent: an existing schedule (perhaps paused by an operator) is left as it is.
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';

export const MAINTENANCE_SCHEDULES = {
  purgeIdempotencyKeys: 'maintenance-purge-idempotency-keys',
} as const;

export async function ensureMaintenanceSchedules(client: Client, taskQueue: string): Promise<void> {
  try {
    await client.schedule.create({
      scheduleId: MAINTENANCE_SCHEDULES.purgeIdempotencyKeys,
      spec: { intervals: [{ every: '1 hour' }] },
      action: {
        type: 'startWorkflow',
        workflowType: 'purgeExpiredIdempotencyKeys',
        taskQueue,
        args: [],
        workflowId: MAINTENANCE_SCHEDULES.purgeIdempotencyKeys,
      },
      policies: { overlap: ScheduleOverlapPolicy.SKIP },
      state: { note: 'Deletes Idempotency-Key records past their 24 hours.' },
    });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
}
