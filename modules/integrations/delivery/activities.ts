// The deliverWebhook workflow's activities. An attempt is one activity: begin (a transaction),
// the signed POST (no transaction open), record (a transaction); an infrastructure failure is
// retried by Temporal (the receiver may then see the message twice: webhook-id tells them apart,
// as Standard Webhooks expects).
import { asActivityFailure } from '../../../kernel/activity-failure.ts';
import { systemTenant, type TenantContext } from '../../../kernel/tenant.ts';
import type { ActivityDeps } from '../../manifest.ts';
import { signedHeaders } from '../endpoints/secrets.ts';
import { targetPolicy, type Resolver } from '../targets.ts';
import { beginAttempt, recordAttempt, scheduleRetry } from './attempts.ts';
import { postWebhook } from './http.ts';
import { countAttempt } from './metrics.ts';
import type { AttemptOutcome, DeliverWebhookInput, RetryPlan } from './types.ts';
import { inTransaction } from '../../../platform/transaction.ts';

/** Test seams: a resolver and a shorter deadline (production uses the system's DNS and 15 s). */
export interface DeliveryHttpOptions { resolve?: Resolver; timeoutMs?: number }

export function createDeliveryActivities(deps: ActivityDeps, http: DeliveryHttpOptions = {}) {
  const policy = targetPolicy(deps.config.webhookAllowPrivateCidrs);
  const inTx = async <T>(workspaceId: string, work: (ctx: TenantContext) => Promise<T>): Promise<T> => {
    try {
      return await inTransaction(deps.orm.em.fork(), (em) => work(systemTenant(em, workspaceId, deps.resources)));
    } catch (err) {
      throw asActivityFailure(err);
    }
  };

  return {
    async attemptWebhookDelivery(input: DeliverWebhookInput): Promise<AttemptOutcome> {
      const plan = await inTx(input.workspaceId, (ctx) => beginAttempt(ctx, input.deliveryId));
      if (plan.kind !== 'send') {
        const outcome: AttemptOutcome = plan.kind === 'held' ? { state: 'held' } : { state: 'abandoned', reason: plan.reason };
        countAttempt(outcome, null);
        return outcome;
      }
      const timestamp = Math.floor(Date.now() / 1000);
      const result = await postWebhook(plan.url, signedHeaders(plan.secrets, plan.messageId, timestamp, plan.body), plan.body,
        { policy, resolve: http.resolve, timeoutMs: http.timeoutMs });
      const outcome = await inTx(input.workspaceId, (ctx) => recordAttempt(ctx, input.deliveryId, plan.attempt, result));
      countAttempt(outcome, result.durationMs);
      return outcome;
    },

    async scheduleWebhookRetry(input: RetryPlan): Promise<void> {
      await inTx(input.workspaceId, (ctx) => scheduleRetry(ctx, input.deliveryId, input.retryInMs));
    },
  };
}

export type DeliveryActivities = ReturnType<typeof createDeliveryActivities>;
