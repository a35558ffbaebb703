// Asking for an upload's completion: under the asset's row lock, the declared size and checksum
// are checked against what the intent declared, and the asset is marked `processing` together
// with the workflow command that verifies it (one commit). The answer is 200 when the workflow
// finishes within the wait bound, 202 while it is still at work, 422 when the bytes failed. An
// asset already completed answers its result again without any new work.
import type { AssetTypeLimitOverrides } from '../../../platform/config.ts';
import { ruleViolation } from '../../../platform/errors.ts';
import { withEm, type TenantContext } from '../../../kernel/tenant.ts';
import { enqueueWorkflow, newWorkflowCommandId } from '../../../kernel/workflow-commands/enqueue.ts';
import type { WorkflowRunner } from '../../../kernel/workflow-commands/runner.ts';
import { getAsset, lockAsset } from '../assets.ts';
import type { Asset, AssetFailure } from '../entities.ts';
import { assetLimits } from '../limits.ts';
import { completionWorkflowId, UPLOAD_REJECTED, type CompleteAssetInput, type CompleteAssetResult } from './types.ts';
import { inTransaction } from '../../../platform/transaction.ts';

export interface CompleteAssetBody { byte_size?: number; checksum_sha256?: string }

/** The 422 of a failed completion, from the asset's recorded failure. */
const rejected = (assetId: string, failure: AssetFailure) =>
  ruleViolation(failure.field, `Asset ${assetId} failed verification (${failure.reason}): ${failure.message}`,
    { reason: failure.reason, workflow_id: completionWorkflowId(assetId) });

const archived = (assetId: string) =>
  ruleViolation('asset_id', `Asset ${assetId} is archived; an archived asset cannot be completed.`, { reason: 'archived' });

/** What this request declares must agree with what the asset already declares or has verified. */
function assertSameClaims(asset: Asset, body: CompleteAssetBody): void {
  if (body.byte_size !== undefined && asset.byte_size != null && body.byte_size !== asset.byte_size) {
    throw ruleViolation('byte_size', `Asset ${asset.id} has byte_size ${asset.byte_size}; this request says ${body.byte_size}.`, { reason: 'size_mismatch' });
  }
  const checksum = body.checksum_sha256?.toLowerCase();
  if (checksum !== undefined && asset.checksum_sha256 != null && checksum !== asset.checksum_sha256) {
    throw ruleViolation('checksum_sha256', `Asset ${asset.id} has checksum_sha256 ${asset.checksum_sha256}; this request says ${checksum}.`, { reason: 'checksum_mismatch' });
  }
}

/** The command that completes (or goes on completing) the asset, or null when there is nothing to do. */
export async function requestCompletion(ctx: TenantContext, limits: AssetTypeLimitOverrides, assetId: string, body: CompleteAssetBody): Promise<{ asset: Asset; commandId: string | null }> {
  const asset = await lockAsset(ctx, assetId);
  if (asset.status === 'archived') throw archived(asset.id);
  if (asset.status === 'failed') throw rejected(asset.id, asset.failure!);
  assertSameClaims(asset, body);
  if (asset.status === 'available') return { asset, commandId: null };
  const workflowId = completionWorkflowId(asset.id);
  if (asset.status === 'processing') {
    // Joins the run at work, or takes over from one that is gone (terminated by an operator).
    const input: CompleteAssetInput = { workspaceId: ctx.workspaceId, assetId: asset.id, requestId: ctx.requestId, commandId: asset.complete_command_id! };
    const commandId = enqueueWorkflow(ctx, { workflowType: 'completeAssetUpload', workflowId, resourceId: asset.id, args: [input], reuse: 'allow_duplicate', dedupKey: asset.complete_command_id! });
    await ctx.em.flush();
    return { asset, commandId };
  }
  const typeLimits = assetLimits(limits, asset.asset_type);
  const byteSize = asset.byte_size ?? body.byte_size ?? null;
  if (byteSize !== null && byteSize > typeLimits.max_bytes) {
    throw ruleViolation('byte_size', `A ${asset.asset_type} asset can be at most ${typeLimits.max_bytes} bytes; ${byteSize} were declared.`, { reason: 'size_limit_exceeded' });
  }
  const checksum = asset.checksum_sha256 ?? body.checksum_sha256?.toLowerCase() ?? null;
  if (typeLimits.require_checksum && checksum === null) {
    throw ruleViolation('checksum_sha256', `A ${asset.asset_type} asset needs checksum_sha256 (here or in the upload intent).`, { reason: 'checksum_required' });
  }
  const commandId = newWorkflowCommandId();
  const input: CompleteAssetInput = { workspaceId: ctx.workspaceId, assetId: asset.id, requestId: ctx.requestId, commandId };
  // An asset is completed once (available and failed are final): no run of this id precedes this one.
  enqueueWorkflow(ctx, { id: commandId, workflowType: 'completeAssetUpload', workflowId, resourceId: asset.id, args: [input] });
  Object.assign(asset, { status: 'processing', byte_size: byteSize, checksum_sha256: checksum, complete_command_id: commandId, updated_at: new Date() });
  await ctx.em.flush();
  return { asset, commandId };
}

export interface CompletionAnswer { status: 200 | 202; asset: Asset }

/**
 * Completes the upload: 200 with the available asset when the workflow ends within waitMs, 202
 * with the asset `processing` while it is at work (or Temporal could not be reached: the relay
 * starts it), 422 naming the field and reason when the bytes failed verification.
 */
export async function completeAsset(ctx: TenantContext, workflows: WorkflowRunner, limits: AssetTypeLimitOverrides, assetId: string, body: CompleteAssetBody, waitMs: number): Promise<CompletionAnswer> {
  const { asset, commandId } = await inTransaction(ctx.em, (tx) => requestCompletion(withEm(ctx, tx), limits, assetId, body));
  if (!commandId) return { status: 200, asset };
  const current = () => getAsset(withEm(ctx, ctx.em.fork()), assetId);
  const runId = (await workflows.dispatch([commandId]).catch(() => new Map<string, string>())).get(commandId);
  if (!runId) return { status: 202, asset: await current() };

  const outcome = await workflows.awaitOutcome<CompleteAssetResult>({ workflowId: completionWorkflowId(assetId), runId }, waitMs);
  if (outcome.state === 'failed' && outcome.failure.type === UPLOAD_REJECTED) throw rejected(assetId, outcome.failure.details[0] as AssetFailure);
  const latest = await current();
  if (latest.status === 'available') return { status: 200, asset: latest };
  if (latest.status === 'archived') throw archived(assetId);
  if (latest.status === 'failed') throw rejected(assetId, latest.failure!);
  return { status: 202, asset: latest };
}
