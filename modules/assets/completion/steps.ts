// The steps of an upload's completion, each run by one activity. Only the completion the asset
// names (status `processing` under its workflow command) may change it: a stale run, or one whose
// asset was archived meanwhile, finds nothing to do. S3 reads are pinned to the ETag inspection
// saw, so the bytes checked are the bytes copied to the object key.
import type { AssetTypeLimitOverrides } from '../../../platform/config.ts';
import { recordEvent } from '../../../kernel/outbox.ts';
import type { TenantContext } from '../../../kernel/tenant.ts';
import { getAsset, lockAsset } from '../assets.ts';
import type { Asset, AssetFailure } from '../entities.ts';
import { assetLimits } from '../limits.ts';
import { serializeAsset } from '../serializers.ts';
import { copyObject, deleteObjects, hashObject, headObject, readFirstBytes, type AssetStorage } from '../storage.ts';
import { SNIFF_BYTES, verifyContentType } from './sniff.ts';
import type { CompleteAssetInput, CompleteAssetResult, InspectedUpload, VerifiedUpload } from './types.ts';
import { VerificationFailure, verifyChecksum, verifySize } from './verification.ts';

export interface CompletionEnv { storage: AssetStorage; limits: AssetTypeLimitOverrides }

const owns = (asset: Asset, input: CompleteAssetInput) => asset.status === 'processing' && asset.complete_command_id === input.commandId;

/** Step 1: the uploaded object exists, has the right size, and its first bytes are of the declared type. */
export async function inspectUpload(ctx: TenantContext, env: CompletionEnv, input: CompleteAssetInput): Promise<InspectedUpload> {
  const asset = await getAsset(ctx, input.assetId);
  const found: InspectedUpload = {
    done: !owns(asset, input), status: asset.status, uploadKey: asset.upload_key, objectKey: asset.object_key,
    etag: '', byteSize: 0, storedChecksum: null, expectedChecksum: asset.checksum_sha256 ?? null, metadata: {},
  };
  if (found.done) return found;
  const limits = assetLimits(env.limits, asset.asset_type);
  const head = await headObject(env.storage, asset.upload_key);
  if (!head) {
    throw new VerificationFailure('object_missing', 'asset_id', `No object was uploaded for asset ${asset.id}: PUT the bytes to its upload_url before completing.`);
  }
  verifySize(head.size, asset.byte_size ?? null, limits);
  if (found.expectedChecksum && head.sha256Hex) verifyChecksum(head.sha256Hex, found.expectedChecksum);
  const first = await readFirstBytes(env.storage, asset.upload_key, head.etag, Math.min(head.size, SNIFF_BYTES));
  const metadata = await verifyContentType(first, asset.mime_type, asset.asset_type, limits);
  return { ...found, etag: head.etag, byteSize: head.size, storedChecksum: head.sha256Hex, metadata };
}

/** Step 2 (a checksum to match that S3 did not verify): streams the object through SHA-256. */
export async function hashUpload(env: CompletionEnv, inspected: InspectedUpload, progress: (bytes: number) => void, signal?: AbortSignal): Promise<string> {
  const { sha256Hex } = await hashObject(env.storage, inspected.uploadKey, inspected.etag, progress, signal);
  if (inspected.expectedChecksum) verifyChecksum(sha256Hex, inspected.expectedChecksum);
  return sha256Hex;
}

/** Step 3: exactly the inspected bytes become the asset's object (a server-side copy; repeatable). */
export const promoteUpload = (env: CompletionEnv, inspected: InspectedUpload) => copyObject(env.storage, inspected.uploadKey, inspected.objectKey, inspected.etag);

/** Step 4: the asset is available, with what verification learned, and `asset.available`. */
export async function markAvailable(ctx: TenantContext, input: CompleteAssetInput, verified: VerifiedUpload): Promise<CompleteAssetResult> {
  const asset = await lockAsset(ctx, input.assetId);
  if (!owns(asset, input)) return { asset_id: asset.id, status: asset.status };
  const now = new Date();
  Object.assign(asset, {
    status: 'available', byte_size: verified.byteSize, checksum_sha256: verified.checksum, metadata: verified.metadata,
    uploaded_at: now, updated_at: now,
  });
  recordEvent(ctx, { type: 'asset.available', resource_type: 'asset', resource_id: asset.id, payload: serializeAsset(asset) });
  await ctx.em.flush();
  return { asset_id: asset.id, status: asset.status };
}

/** Step 5: the client's upload key is emptied (later PUTs to a still-valid URL change nothing served). */
export const discardUpload = (env: CompletionEnv, inspected: InspectedUpload) => deleteObjects(env.storage, [inspected.uploadKey]);

/** When a rule failed: the objects are deleted first (repeatable), then the asset is marked failed. */
export async function deleteRejectedObjects(ctx: TenantContext, env: CompletionEnv, input: CompleteAssetInput): Promise<void> {
  const asset = await getAsset(ctx, input.assetId);
  if (owns(asset, input)) await deleteObjects(env.storage, [asset.upload_key, asset.object_key]);
}

export async function markFailed(ctx: TenantContext, input: CompleteAssetInput, failure: AssetFailure): Promise<CompleteAssetResult> {
  const asset = await lockAsset(ctx, input.assetId);
  if (!owns(asset, input)) return { asset_id: asset.id, status: asset.status };
  Object.assign(asset, { status: 'failed', failure, updated_at: new Date() });
  recordEvent(ctx, { type: 'asset.failed', resource_type: 'asset', resource_id: asset.id, payload: serializeAsset(asset) });
  await ctx.em.flush();
  return { asset_id: asset.id, status: asset.status };
}
