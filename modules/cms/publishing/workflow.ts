// Scheduled publishing: wait until the moment the database holds, then publish if that is still
// the schedule. A `reschedule` signal (sent with every change of the schedule) wakes the wait to
// read it again, so a schedule moved earlier is met and one moved later or cleared never
// publishes at the old moment; the publish activity re-checks the moment under the row lock too.
import { condition, continueAsNew, defineSignal, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { DuePublication, PublishingActivities } from './activities.ts';
import { RESCHEDULE_SIGNAL, type PublishOutcome, type ScheduledPublication } from './types.ts';

const activities = proxyActivities<PublishingActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export const rescheduleSignal = defineSignal(RESCHEDULE_SIGNAL);

/** Timers are capped: a far schedule is waited for in steps (each step reads the schedule again). */
const MAX_WAIT_MS = 30 * 24 * 3600 * 1000;

export interface PublicationResult { id: string; outcome: 'published' | 'not_scheduled' }

export async function publishCmsEntry(input: ScheduledPublication): Promise<PublicationResult> {
  return publishWhenDue(input, activities.readCmsEntrySchedule, activities.publishDueCmsEntry);
}

export async function publishMarketingPost(input: ScheduledPublication): Promise<PublicationResult> {
  return publishWhenDue(input, activities.readMarketingPostSchedule, activities.publishDueMarketingPost);
}

async function publishWhenDue(
  input: ScheduledPublication,
  read: (input: ScheduledPublication) => Promise<string | null>,
  publish: (input: DuePublication) => Promise<PublishOutcome>,
): Promise<PublicationResult> {
  let rescheduled = false;
  setHandler(rescheduleSignal, () => { rescheduled = true; });
  for (;;) {
    rescheduled = false;
    const dueAt = await read(input);
    if (dueAt === null) {
      if (rescheduled) continue;
      return { id: input.id, outcome: 'not_scheduled' };
    }
    const wait = Date.parse(dueAt) - Date.now();
    if (wait > 0) {
      // true: a signal came (read again); false: the timer fired (publish, or read again after a capped step).
      if (await condition(() => rescheduled, Math.min(wait, MAX_WAIT_MS))) continue;
      if (wait > MAX_WAIT_MS) continue;
    }
    const outcome = await publish({ ...input, dueAt });
    if (outcome === 'published') return { id: input.id, outcome };
    if (outcome === 'not_scheduled' && !rescheduled) return { id: input.id, outcome };
    // Moved: the loop reads the new moment (a long history starts afresh, as this workflow type).
    if (workflowInfo().continueAsNewSuggested) return continueAsNew<typeof publishCmsEntry>(input);
  }
}
