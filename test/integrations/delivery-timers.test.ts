// The deliverWebhook workflow alone (its activities are fakes) in Temporal's time-skipping test
// server: the whole retry schedule, days of it, runs in well under a second. Serial: time skips
// for the whole server.
import test from 'ava';
import { fileURLToPath } from 'node:url';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { DeliveryActivities } from '../../modules/integrations/delivery/activities.ts';
import { failingTooLong, JITTER, MAX_ATTEMPTS, RETRY_SCHEDULE_MS } from '../../modules/integrations/delivery/schedule.ts';
import type { AttemptOutcome, DeliverWebhookInput, RetryPlan } from '../../modules/integrations/delivery/types.ts';
import { timeSkippingEnvironment, timeSkippingWorker } from '../helpers/time-skipping.ts';

const workflowsPath = fileURLToPath(new URL('../../modules/integrations/delivery/workflow.ts', import.meta.url));
const input: DeliverWebhookInput = { workspaceId: 'wrk_t', deliveryId: 'whd_t', eventType: 'contact.created' };
const DAY = 24 * 3600_000;

let env: TestWorkflowEnvironment;
test.before(async () => { env = await timeSkippingEnvironment(); });
test.after.always(async () => { await env?.teardown(); });

interface Log { attempts: number[]; plans: RetryPlan[] }

/** Fake activities: `answer(n, at)` decides attempt n (at: workflow time of the attempt). */
function fakes(log: Log, answer: (attempt: number, at: number) => AttemptOutcome): DeliveryActivities {
  return {
    attemptWebhookDelivery: async () => {
      const at = await env.currentTimeMs();
      log.attempts.push(at);
      return answer(log.attempts.length, at);
    },
    scheduleWebhookRetry: async (plan: RetryPlan) => { log.plans.push(plan); },
  } as DeliveryActivities;
}

const failed = (attempt: number, extra: Partial<Extract<AttemptOutcome, { state: 'failed' }>> = {}): AttemptOutcome =>
  ({ state: 'failed', attempt, retryAfterMs: null, endpointDisabled: false, ...extra });

async function run(queue: string, id: string, activities: DeliveryActivities, args: DeliverWebhookInput = input) {
  const worker = await timeSkippingWorker(env, queue, workflowsPath, activities);
  return worker.runUntil(env.client.workflow.execute('deliverWebhook', { taskQueue: queue, workflowId: id, args: [args] }));
}

test.serial('a receiver that always fails gets 8 attempts on the schedule (5 s … 10 h, with jitter), then the delivery fails', async (t) => {
  const log: Log = { attempts: [], plans: [] };
  const wallStart = Date.now();
  const result = await run('webhook-schedule', 'webhook-delivery-schedule', fakes(log, (n) => failed(n)));
  t.deepEqual(result, { state: 'failed', attempts: MAX_ATTEMPTS });
  t.is(log.attempts.length, 8);
  const gaps = log.attempts.slice(1).map((at, i) => at - log.attempts[i]!);
  gaps.forEach((gap, i) => {
    const base = RETRY_SCHEDULE_MS[i]!;
    t.true(gap >= base && gap <= base * (1 + JITTER) + 1000, `wait ${i + 1} was ${gap} ms, scheduled ${base} ms + up to ${JITTER * 100} %`);
  });
  t.true(log.attempts.at(-1)! - log.attempts[0]! >= 27 * 3600_000, 'more than a day of workflow time passed');
  t.true(Date.now() - wallStart < 30_000, 'without waiting for it');
  // Every failure but the last recorded when the next attempt is due; the last gave up.
  t.is(log.plans.length, 8);
  log.plans.slice(0, 7).forEach((p, i) => t.true(p.retryInMs === gaps[i] || Math.abs(p.retryInMs! - gaps[i]!) < 1000, `announced wait ${i + 1}: ${p.retryInMs} ms`));
  t.is(log.plans[7]!.retryInMs, null);
});

test.serial('an operator\'s retry after 8 failed attempts starts the schedule over: 8 more attempts, 5 s first', async (t) => {
  const log: Log = { attempts: [], plans: [] };
  const result = await run('webhook-retried', 'webhook-delivery-retried', fakes(log, (n) => failed(MAX_ATTEMPTS + n)), { ...input, attemptsBefore: MAX_ATTEMPTS });
  t.deepEqual(result, { state: 'failed', attempts: 2 * MAX_ATTEMPTS });
  t.is(log.attempts.length, MAX_ATTEMPTS);
  const gaps = log.attempts.slice(1).map((at, i) => at - log.attempts[i]!);
  gaps.forEach((gap, i) => t.true(gap >= RETRY_SCHEDULE_MS[i]! && gap <= RETRY_SCHEDULE_MS[i]! * (1 + JITTER) + 1000, `wait ${i + 1} was ${gap} ms`));
});

test.serial('an endpoint failing for 5 days is disabled mid-schedule: no attempt after that', async (t) => {
  const log: Log = { attempts: [], plans: [] };
  // The endpoint has failed every attempt since 4.5 days before this delivery started.
  const failingSince = new Date((await env.currentTimeMs()) - 4.5 * DAY);
  const result = await run('webhook-disable', 'webhook-delivery-disable', fakes(log, (n, at) =>
    failed(n, { endpointDisabled: failingTooLong(failingSince, new Date(at)) })));
  // Attempts at 0, 5 s, 5 min, 35 min, 2.6 h, 7.6 h, 17.6 h: the 7th is past 12 h, 5 days in all.
  t.deepEqual(result, { state: 'failed', attempts: 7 });
  t.is(log.attempts.length, 7);
  t.true(log.attempts[6]! - failingSince.getTime() >= 5 * DAY);
  t.true(log.attempts[5]! - failingSince.getTime() < 5 * DAY);
  t.is(log.plans.at(-1)!.retryInMs, null);
});

test.serial('429 with Retry-After waits at least that long; success ends the delivery', async (t) => {
  const log: Log = { attempts: [], plans: [] };
  const result = await run('webhook-retry-after', 'webhook-delivery-retry-after', fakes(log, (n) =>
    (n === 1 ? failed(1, { retryAfterMs: 3 * 3600_000 }) : { state: 'succeeded', attempt: n })));
  t.deepEqual(result, { state: 'succeeded', attempts: 2 });
  t.true(log.attempts[1]! - log.attempts[0]! >= 3 * 3600_000, 'the 5 s retry waited for Retry-After instead');
});

test.serial('410 (gone), a paused endpoint (held) and a disabled one (abandoned) end the run without retries', async (t) => {
  for (const [outcome, state] of [[{ state: 'gone', attempt: 1 }, 'failed'], [{ state: 'held' }, 'held'], [{ state: 'abandoned', reason: 'disabled' }, 'abandoned']] as const) {
    const log: Log = { attempts: [], plans: [] };
    const result = await run(`webhook-${state}`, `webhook-delivery-${outcome.state}`, fakes(log, () => outcome as AttemptOutcome));
    t.is(result.state, state);
    t.is(log.attempts.length, 1);
    t.is(log.plans.length, 0);
  }
});
