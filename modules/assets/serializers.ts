// The contract's Asset, from its row (keys and the completion's bookkeeping stay inside).
import type { Schema } from '../../api/operations.ts';
import { nulled } from '../../kernel/serialize.ts';
import type { Asset } from './entities.ts';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export const serializeAsset = (a: Asset): Schema<'Asset'> => nulled({
  id: a.id,
  name: a.name,
  file_name: a.file_name,
  mime_type: a.mime_type,
  asset_type: a.asset_type,
  status: a.status,
  byte_size: a.byte_size,
  checksum_sha256: a.checksum_sha256,
  description: a.description,
  related_resource_type: a.related_resource_type,
  related_resource_id: a.related_resource_id,
  custom_fields: a.custom_fields,
  metadata: a.metadata,
  failure: a.failure,
  uploaded_at: iso(a.uploaded_at),
  archived_at: iso(a.archived_at),
  created_at: a.created_at.toISOString(),
  updated_at: a.updated_at.toISOString(),
});
