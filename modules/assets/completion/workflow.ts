// Completes an asset's upload: inspects the object the client PUT (exists, size, type sniffed
// from its first bytes), hashes it when a checksum must be matched and S3 did not verify one,
// copies exactly those bytes to the asset's object key, marks the asset available and drops the
// upload. A failed rule marks the asset failed and deletes its objects; the workflow then fails
// with AssetUploadRejected naming the reason. Infrastructure failures are retried until they
// pass, so the asset is never left half-completed; a worker killed mid-hash is replaced by another
// once its heartbeats stop, and the hash starts over there.
import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { CompletionActivities } from './activities.ts';
import {
  UPLOAD_REJECTED, VERIFICATION_FAILED, type AssetFailure, type CompleteAssetInput, type CompleteAssetResult,
} from './types.ts';

const retry = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' } as const;
const steps = proxyActivities<CompletionActivities>({ startToCloseTimeout: '1 minute', retry });
// Streaming a 5 GiB object takes minutes; its heartbeats show it is still at work.
const hashing = proxyActivities<CompletionActivities>({ startToCloseTimeout: '2 hours', heartbeatTimeout: '10 seconds', retry });
// A copy of up to 5 GiB happens inside S3.
const copying = proxyActivities<CompletionActivities>({ startToCloseTimeout: '30 minutes', retry });

export async function completeAssetUpload(input: CompleteAssetInput): Promise<CompleteAssetResult> {
  try {
    const inspected = await steps.inspectAssetUpload(input);
    if (inspected.done) return { asset_id: input.assetId, status: inspected.status };
    let checksum = inspected.storedChecksum;
    if (inspected.expectedChecksum && !checksum) checksum = await hashing.hashAssetUpload(inspected);
    await copying.promoteAssetUpload(inspected);
    const result = await steps.markAssetAvailable(input, { byteSize: inspected.byteSize, checksum, metadata: inspected.metadata });
    await steps.discardAssetUpload(inspected);
    return result;
  } catch (err) {
    const failure = verificationFailure(err);
    if (!failure) throw err;
    await steps.rejectAssetUpload(input, failure);
    throw ApplicationFailure.create({ type: UPLOAD_REJECTED, message: `Asset ${input.assetId} failed verification: ${failure.message}`, nonRetryable: true, details: [failure] });
  }
}

function verificationFailure(err: unknown): AssetFailure | null {
  const cause = err instanceof ActivityFailure ? err.cause : null;
  if (cause instanceof ApplicationFailure && cause.type === VERIFICATION_FAILED) return cause.details?.[0] as AssetFailure;
  return null;
}
