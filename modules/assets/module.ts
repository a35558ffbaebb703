// Files on S3: upload intents with presigned PUTs, completion verified by a workflow, download
// URLs at read time, and archiving whose retention timer deletes the object later.
import { defineModule } from '../manifest.ts';
import { AssetSchema } from './entities.ts';
import { ASSET_IDS } from './ids.ts';
import { assetOperations } from './operations.ts';
import { createCompletionActivities } from './completion/activities.ts';
import { createRetentionActivities } from './retention/activities.ts';
import { Migration20261202030001_assets } from './migrations/Migration20261202030001_assets.ts';

export const assetsModule = defineModule({
  name: 'assets',
  entities: [AssetSchema],
  migrations: [{ name: 'Migration20261202030001_assets', class: Migration20261202030001_assets }],
  // What BI may read (its catalog): object keys and completion bookkeeping stay internal.
  biTables: [{
    table: 'assets', description: 'File assets: type, MIME type, size, status and the record they belong to.',
    columns: ['id', 'name', 'file_name', 'mime_type', 'asset_type', 'status', 'byte_size', 'description', 'related_resource_type', 'related_resource_id', 'custom_fields', 'uploaded_at', 'archived_at', 'created_at', 'updated_at'],
  }],
  operations: assetOperations,
  ids: ASSET_IDS,
  // Tasks, activities and CMS entries point at assets through this type.
  relatedResources: { asset: 'assets' },
  workflows: ['completeAssetUpload', 'assetRetention'],
  activities: (deps) => ({ ...createCompletionActivities(deps), ...createRetentionActivities(deps) }),
  events: [
    { type: 'asset.created', schema: 'Asset', description: 'An asset was created by an upload intent (status upload_pending).' },
    { type: 'asset.available', schema: 'Asset', description: 'An asset\'s upload was verified (size, checksum, content type): its bytes can be downloaded.' },
    { type: 'asset.failed', schema: 'Asset', description: 'An asset\'s upload failed verification (see failure); its object was deleted.' },
    { type: 'asset.archived', schema: 'Asset', description: 'An asset was archived; its object is deleted after the retention period.' },
    { type: 'asset.purged', schema: 'Asset', description: 'An archived asset\'s object was deleted at the end of its retention period.' },
  ],
});
