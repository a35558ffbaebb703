// The completeAssetUpload workflow's activities (steps.ts), as the workspace and the request that
// asked for the completion. A failed verification rule becomes a non-retryable failure of type
// AssetVerificationFailed carrying the AssetFailure; anything else (S3 or the database away) is
// retried by Temporal.
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { asActivityFailure } from '../../../kernel/activity-failure.ts';
import { systemTenant, type TenantContext } from '../../../kernel/tenant.ts';
import type { ActivityDeps } from '../../manifest.ts';
import type { AssetFailure } from '../entities.ts';
import { assetStorage, ObjectChanged } from '../storage.ts';
import {
  deleteRejectedObjects, discardUpload, hashUpload, inspectUpload, markAvailable, markFailed, promoteUpload, type CompletionEnv,
} from './steps.ts';
import { VERIFICATION_FAILED, type CompleteAssetInput, type InspectedUpload, type VerifiedUpload } from './types.ts';
import { VerificationFailure } from './verification.ts';
import { inTransaction } from '../../../platform/transaction.ts';

/** How often a hash in progress tells Temporal it is alive (the SDK throttles further). */
const HEARTBEAT_EVERY_MS = 1000;

export function createCompletionActivities(deps: ActivityDeps) {
  const env: CompletionEnv = { storage: assetStorage(deps), limits: deps.config.assetTypeLimits };
  const tenant = (input: CompleteAssetInput, em = deps.orm.em.fork()) => systemTenant(em, input.workspaceId, deps.resources, input.requestId);
  const inTx = <T>(input: CompleteAssetInput, work: (ctx: TenantContext) => Promise<T>) =>
    inTransaction(deps.orm.em.fork(), (em) => work(tenant(input, em)));
  const step = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (err) {
      const rule = err instanceof ObjectChanged ? new VerificationFailure('object_changed', 'asset_id', err.message) : err;
      if (rule instanceof VerificationFailure) throw ApplicationFailure.nonRetryable(rule.message, VERIFICATION_FAILED, rule.failure);
      throw asActivityFailure(err);
    }
  };

  return {
    inspectAssetUpload: (input: CompleteAssetInput) => step(() => inspectUpload(tenant(input), env, input)),
    hashAssetUpload: (inspected: InspectedUpload) => step(() => {
      const context = Context.current();
      let last = 0;
      return hashUpload(env, inspected, (bytes) => {
        if (Date.now() - last < HEARTBEAT_EVERY_MS) return;
        last = Date.now();
        context.heartbeat({ bytes });
      }, context.cancellationSignal);
    }),
    promoteAssetUpload: (inspected: InspectedUpload) => step(() => promoteUpload(env, inspected)),
    markAssetAvailable: (input: CompleteAssetInput, verified: VerifiedUpload) => step(() => inTx(input, (ctx) => markAvailable(ctx, input, verified))),
    discardAssetUpload: (inspected: InspectedUpload) => step(() => discardUpload(env, inspected)),
    rejectAssetUpload: (input: CompleteAssetInput, failure: AssetFailure) => step(async () => {
      await deleteRejectedObjects(tenant(input), env, input);
      return inTx(input, (ctx) => markFailed(ctx, input, failure));
    }),
  };
}

export type CompletionActivities = ReturnType<typeof createCompletionActivities>;
