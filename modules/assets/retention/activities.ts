// Deletes an archived asset's objects once its retention has passed, and records it on the row
// (the asset stays as a record) with `asset.purged`. Repeatable: S3 deletes of missing keys
// succeed, and an asset already purged is left alone.
import { asActivityFailure } from '../../../kernel/activity-failure.ts';
import { recordEvent } from '../../../kernel/outbox.ts';
import { systemTenant } from '../../../kernel/tenant.ts';
import type { ActivityDeps } from '../../manifest.ts';
import { lockAsset } from '../assets.ts';
import { serializeAsset } from '../serializers.ts';
import { assetStorage, deleteObjects } from '../storage.ts';
import type { AssetRetentionInput } from './types.ts';
import { inTransaction } from '../../../platform/transaction.ts';

export function createRetentionActivities(deps: ActivityDeps) {
  const storage = assetStorage(deps);
  return {
    async purgeArchivedAsset(input: AssetRetentionInput): Promise<{ purged: boolean }> {
      try {
        return await inTransaction(deps.orm.em.fork(), async (em) => {
          const ctx = systemTenant(em, input.workspaceId, deps.resources, input.requestId);
          const asset = await lockAsset(ctx, input.assetId);
          if (asset.status !== 'archived' || asset.object_deleted_at) return { purged: false };
          await deleteObjects(storage, [asset.upload_key, asset.object_key]);
          asset.object_deleted_at = new Date();
          recordEvent(ctx, { type: 'asset.purged', resource_type: 'asset', resource_id: asset.id, payload: serializeAsset(asset) });
          await em.flush();
          return { purged: true };
        });
      } catch (err) {
        throw asActivityFailure(err);
      }
    },
  };
}

export type RetentionActivities = ReturnType<typeof createRetentionActivities>;
