import { list, read, respond, write, type OperationHandlers } from '../../api/operations.ts';
import { archiveAsset, createUploadIntent, downloadOf, getAsset, listAssets } from './assets.ts';
import { completeAsset } from './completion/request.ts';
import { serializeAsset } from './serializers.ts';
import { assetStorage } from './storage.ts';

export const assetOperations = {
  listAssets: list(({ tenant, query }) => listAssets(tenant, query), serializeAsset),
  createAssetUploadIntent: write(201, ({ tenant, deps, body }) => createUploadIntent(tenant, assetStorage(deps), deps.config.assetTypeLimits, body),
    ({ asset, upload }) => ({
      ...serializeAsset(asset),
      upload_url: upload.url,
      upload_method: 'PUT' as const,
      upload_headers: upload.headers,
      upload_expires_at: upload.expiresAt.toISOString(),
    })),
  getAsset: read(async ({ tenant, deps, path }) => {
    const asset = await getAsset(tenant, path.asset_id);
    const download = await downloadOf(assetStorage(deps), asset);
    return { ...serializeAsset(asset), download_url: download?.url ?? null, download_expires_at: download?.expiresAt.toISOString() ?? null };
  }),
  archiveAsset: write(200, ({ tenant, deps, path }) => archiveAsset(tenant, path.asset_id, deps.config.assetRetentionDays), serializeAsset),
  completeAssetUpload: async ({ tenant, deps, path, body }) => {
    const { status, asset } = await completeAsset(tenant, deps.workflows, deps.config.assetTypeLimits, path.asset_id, body, deps.config.assetCompleteWaitMs);
    return respond<'completeAssetUpload', typeof status>(status, serializeAsset(asset));
  },
} satisfies OperationHandlers;
