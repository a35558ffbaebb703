// The Temporal Schedules the modules declare, created by the worker at start when missing.
// Creating is idempotent: an existing schedule (perhaps paused by an operator) is left as it is.
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import type { ScheduleSpec } from '../modules/manifest.ts';

export async function ensureSchedules(client: Client, taskQueue: string, specs: readonly ScheduleSpec[]): Promise<void> {
  for (const spec of specs) {
    try {
      await client.schedule.create({
        scheduleId: spec.id,
        spec: { intervals: [{ every: spec.every as never }] },
        action: { type: 'startWorkflow', workflowType: spec.workflowType, taskQueue, args: [], workflowId: spec.id },
        policies: { overlap: ScheduleOverlapPolicy.SKIP },
        state: { note: spec.note },
      });
    } catch (err) {
      if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    }
  }
}
