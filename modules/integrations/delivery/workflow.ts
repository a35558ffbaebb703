// Delivers one webhook: an attempt now, then retries on the schedule (schedule.ts) until one
// succeeds, the schedule ends, the endpoint is disabled (410, or 5 days of failures) or paused
// (the delivery is held; resuming the endpoint starts a new run). Every attempt is an activity
// that records itself, so a worker killed mid-retry leaves the timer to the next worker.
import { proxyLocalActivities, sleep, upsertSearchAttributes } from '@temporalio/workflow';
import { EVENT_TYPE } from '../../../platform/search-attributes.ts';
import type { DeliveryActivities } from './activities.ts';
import { retryWait } from './schedule.ts';
import type { DeliverWebhookInput, DeliveryRunResult } from './types.ts';

// Local activities: an attempt runs in the worker that runs the workflow task, with no activity
// task through the server (a delivery is then one workflow task per attempt: the throughput of a
// worker, and the first attempt within a second of the commit). A worker that dies before its
// workflow task completes leaves the attempt to be made again by the next (recorded as another
// attempt; the receiver sees the same webhook-id). The POST's own deadline is 15 s; the rest is
// two short transactions.
const act = proxyLocalActivities<DeliveryActivities>({
  startToCloseTimeout: '1 minute',
  // An activity failure is infrastructure (the database): retried until it answers.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export async function deliverWebhook(input: DeliverWebhookInput): Promise<DeliveryRunResult> {
  upsertSearchAttributes([{ key: EVENT_TYPE, value: input.eventType }]);
  for (;;) {
    const outcome = await act.attemptWebhookDelivery(input);
    if (outcome.state === 'held' || outcome.state === 'abandoned') return { state: outcome.state, attempts: 0 };
    if (outcome.state !== 'failed') return { state: outcome.state === 'succeeded' ? 'succeeded' : 'failed', attempts: outcome.attempt };
    // Math.random is deterministic in a workflow (seeded per run): replays wait the same.
    const wait = outcome.endpointDisabled ? null : retryWait(outcome.attempt - (input.attemptsBefore ?? 0), Math.random(), outcome.retryAfterMs);
    // The activity stamps next_attempt_at from its own clock: the timer starts right after it.
    await act.scheduleWebhookRetry({ workspaceId: input.workspaceId, deliveryId: input.deliveryId, retryInMs: wait });
    if (wait === null) return { state: 'failed', attempts: outcome.attempt };
    await sleep(wait);
  }
}
