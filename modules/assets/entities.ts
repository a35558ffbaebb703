import { defineEntity, type InferEntity } from '@mikro-orm/postgresql';
import type { Schema } from '../../api/operations.ts';
import { ASSET_TYPES, type AssetType } from '../../platform/config.ts';

export type { AssetType };
export const ASSET_STATUSES = ['upload_pending', 'processing', 'available', 'failed', 'archived'] as const;
export type AssetStatus = typeof ASSET_STATUSES[number];
export type AssetRelatedResourceType = Schema<'AssetRelatedResourceType'>;
export type AssetMetadata = Schema<'Asset'>['metadata'];
export type AssetFailure = NonNullable<Schema<'Asset'>['failure']>;

export const AssetSchema = defineEntity({
  name: 'Asset',
  tableName: 'assets',
  properties: (p) => ({
    id: p.text().primary(),
    workspace_id: p.text(),
    name: p.text(),
    file_name: p.text(),
    mime_type: p.text(),
    asset_type: p.enum([...ASSET_TYPES]),
    status: p.enum([...ASSET_STATUSES]),
    /** Declared until verified, then the stored object's size. */
    byte_size: p.bigint('number').nullable(),
    /** Lower-case hex; declared until verified, then the stored bytes' checksum (or null). */
    checksum_sha256: p.text().nullable(),
    description: p.text().nullable(),
    related_resource_type: p.text().$type<AssetRelatedResourceType>().nullable(),
    related_resource_id: p.text().nullable(),
    custom_fields: p.json<Record<string, unknown>>(),
    metadata: p.json<AssetMetadata>(),
    failure: p.json<AssetFailure>().nullable(),
    /** Where the client's presigned PUT lands (never served, never trusted after verification). */
    upload_key: p.text(),
    /** Where the verified bytes live: only the server writes here. */
    object_key: p.text(),
    /** The workflow command of the completion under way (or done): its runs own the completion. */
    complete_command_id: p.text().nullable(),
    uploaded_at: p.datetime().nullable(),
    archived_at: p.datetime().nullable(),
    /** When the retention workflow deletes the archived asset's object. */
    purge_after: p.datetime().nullable(),
    object_deleted_at: p.datetime().nullable(),
    /** Lower-cased name, file name, description and MIME type (a generated column with a trigram index). */
    search_text: p.text().generated('stored').nullable().lazy(true, false),
    created_at: p.datetime().onCreate(() => new Date()),
    updated_at: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  }),
});
export type Asset = InferEntity<typeof AssetSchema>;
