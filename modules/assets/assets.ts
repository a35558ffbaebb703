// Assets: the upload intent, reads with a download URL, the list, and archiving. The bytes never
// pass through here: clients PUT and GET them with presigned URLs (storage.ts).
import { LockMode } from '@mikro-orm/postgresql';
import type { BodyOf } from '../../api/operations.ts';
import type { AssetTypeLimitOverrides } from '../../platform/config.ts';
import { notFound, validationFailed } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { TenantContext } from '../../kernel/tenant.ts';
import { insertCreated, recordEvent } from '../../kernel/outbox.ts';
import { containsPattern, findPage, type Page, type PageRequest } from '../../kernel/pagination.ts';
import { assertRelatedResource } from '../../kernel/related-resources.ts';
import { enqueueWorkflow } from '../../kernel/workflow-commands/enqueue.ts';
import { customFieldFilter } from '../../kernel/custom-field-filter.ts';
import { AssetSchema, type Asset, type AssetRelatedResourceType, type AssetStatus, type AssetType } from './entities.ts';
import { ASSET_IDS } from './ids.ts';
import { assertIntentWithinLimits, assetLimits } from './limits.ts';
import { serializeAsset } from './serializers.ts';
import { assetKeys, presignDownload, presignUpload, type AssetStorage, type PresignedUpload } from './storage.ts';
import { retentionWorkflowId, type AssetRetentionInput } from './retention/types.ts';

/** The intent's body as the contract types it (idempotency_key is the middleware's). */
export type NewAssetUpload = Omit<BodyOf<'createAssetUploadIntent'>, 'idempotency_key'>;

// Control characters would end up in a Content-Disposition header.
const CONTROL = /[\x00-\x1f\x7f]/;

/** A new asset in `upload_pending` and the presigned PUT for its bytes (422 before any URL when a limit refuses it). */
export async function createUploadIntent(ctx: TenantContext, storage: AssetStorage, limits: AssetTypeLimitOverrides, input: NewAssetUpload): Promise<{ asset: Asset; upload: PresignedUpload }> {
  if (CONTROL.test(input.file_name)) throw validationFailed([{ field: 'file_name', problem: 'must not contain control characters' }]);
  assertIntentWithinLimits(assetLimits(limits, input.asset_type), input.asset_type, input);
  if (input.related_resource_type && input.related_resource_id) {
    await assertRelatedResource(ctx, input.related_resource_type, input.related_resource_id);
  }
  const id = newId(ASSET_IDS.asset);
  const keys = assetKeys(ctx.workspaceId, id);
  const checksum = input.checksum_sha256?.toLowerCase() ?? null;
  const now = new Date();
  const asset = ctx.em.create(AssetSchema, {
    id,
    workspace_id: ctx.workspaceId,
    name: input.name ?? input.file_name,
    file_name: input.file_name,
    mime_type: input.mime_type,
    asset_type: input.asset_type,
    status: 'upload_pending',
    byte_size: input.byte_size ?? null,
    checksum_sha256: checksum,
    description: input.description ?? null,
    related_resource_type: input.related_resource_type ?? null,
    related_resource_id: input.related_resource_id ?? null,
    custom_fields: input.custom_fields ?? {},
    metadata: {},
    failure: null,
    upload_key: keys.upload,
    object_key: keys.object,
    complete_command_id: null,
    uploaded_at: null,
    archived_at: null,
    purge_after: null,
    object_deleted_at: null,
    created_at: now,
    updated_at: now,
  });
  const upload = await presignUpload(storage, { key: keys.upload, mimeType: input.mime_type, byteSize: input.byte_size ?? null, checksumHex: checksum }, now);
  return { asset: await insertCreated(ctx, 'asset', asset, serializeAsset(asset)), upload };
}

export async function getAsset(ctx: TenantContext, id: string): Promise<Asset> {
  const asset = await ctx.em.findOne(AssetSchema, { id, workspace_id: ctx.workspaceId }, { refresh: true });
  if (!asset) throw notFound('asset', id);
  return asset;
}

/** The asset, locked for the rest of the transaction: completion and archiving serialise on it. */
export async function lockAsset(ctx: TenantContext, id: string): Promise<Asset> {
  const asset = await ctx.em.findOne(AssetSchema, { id, workspace_id: ctx.workspaceId }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  if (!asset) throw notFound('asset', id);
  return asset;
}

/** A fresh download URL for an available asset; none for any other status. */
export async function downloadOf(storage: AssetStorage, asset: Asset): Promise<{ url: string; expiresAt: Date } | null> {
  if (asset.status !== 'available') return null;
  return presignDownload(storage, { key: asset.object_key, mimeType: asset.mime_type, fileName: asset.file_name });
}

/**
 * Archives the asset (idempotent: an archived asset is returned unchanged) and starts the
 * retention timer that deletes its object once `retentionDays` have passed.
 */
export async function archiveAsset(ctx: TenantContext, id: string, retentionDays: number): Promise<Asset> {
  const asset = await lockAsset(ctx, id);
  if (asset.status === 'archived') return asset;
  const now = new Date();
  asset.status = 'archived';
  asset.archived_at = now;
  asset.purge_after = new Date(now.getTime() + retentionDays * 86_400_000);
  asset.updated_at = now;
  const input: AssetRetentionInput = { workspaceId: ctx.workspaceId, assetId: asset.id, purgeAfter: asset.purge_after.toISOString(), requestId: ctx.requestId };
  enqueueWorkflow(ctx, { workflowType: 'assetRetention', workflowId: retentionWorkflowId(asset.id), resourceId: asset.id, args: [input] });
  recordEvent(ctx, { type: 'asset.archived', resource_type: 'asset', resource_id: asset.id, payload: serializeAsset(asset) });
  await ctx.em.flush();
  return asset;
}

export interface AssetFilters extends PageRequest {
  query?: string;
  asset_type?: AssetType;
  status?: AssetStatus;
  related_resource_type?: AssetRelatedResourceType;
  related_resource_id?: string;
  custom_field_key?: string;
  custom_field_value?: string;
}

/** Newest first; archived assets only when asked for by status. */
export function listAssets(ctx: TenantContext, filters: AssetFilters): Promise<Page<Asset>> {
  const where: Record<string, unknown> = { status: filters.status ?? { $ne: 'archived' } };
  if (filters.query) where.search_text = { $like: containsPattern(filters.query) };
  if (filters.asset_type) where.asset_type = filters.asset_type;
  if (filters.related_resource_type) where.related_resource_type = filters.related_resource_type;
  if (filters.related_resource_id) where.related_resource_id = filters.related_resource_id;
  const custom = customFieldFilter(filters.custom_field_key, filters.custom_field_value);
  return findPage(ctx, AssetSchema, 'assets', (custom ? { ...where, ...custom } : where) as never, filters);
}
