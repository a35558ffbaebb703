// One run per ticket (`support-sla-<ticket_id>`) watches its SLA clock. The database is the truth:
// each loop reads the clock through an activity (which marks what was missed), then sleeps until
// the next due time, at most SLA_RECHECK_MS, or until a `slaChanged` signal says the ticket changed.
// A lost signal therefore only delays a breach; a restarted worker replays to the same sleep.
// The run ends once nothing is left to watch (resolved, closed, targets met or missed).
import { condition, continueAsNew, defineQuery, defineSignal, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { SlaActivities } from './activities.ts';
import { SLA_CHANGED_SIGNAL, SLA_READS_PER_RUN, SLA_RECHECK_MS, type SlaProgress, type SlaWorkflowInput } from './types.ts';

const { checkTicketSla } = proxyActivities<SlaActivities>({
  startToCloseTimeout: '30 seconds',
  // A breach must be marked however long the database is away.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export const slaChanged = defineSignal(SLA_CHANGED_SIGNAL);
export const slaProgress = defineQuery<SlaProgress>('slaProgress');

export async function supportTicketSla(input: SlaWorkflowInput): Promise<SlaProgress> {
  const progress: SlaProgress = { reads: 0, sleepingUntil: null, breaches: [] };
  let changed = false;
  setHandler(slaChanged, () => { changed = true; });
  setHandler(slaProgress, () => progress);
  for (;;) {
    // Cleared before the read: a signal that arrives during it wakes the next sleep at once.
    changed = false;
    const check = await checkTicketSla({ workspaceId: input.workspaceId, ticketId: input.ticketId, now: Date.now() });
    progress.reads++;
    progress.breaches.push(...check.breached);
    if (check.done) return progress;
    if (progress.reads >= (input.readsPerRun ?? SLA_READS_PER_RUN) || workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof supportTicketSla>(input);
    }
    const untilDeadline = check.nextDeadline === null ? SLA_RECHECK_MS : check.nextDeadline - Date.now();
    const wait = Math.max(1, Math.min(SLA_RECHECK_MS, untilDeadline));
    progress.sleepingUntil = Date.now() + wait;
    await condition(() => changed, wait);
    progress.sleepingUntil = null;
  }
}
