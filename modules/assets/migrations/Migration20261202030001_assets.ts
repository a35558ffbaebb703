import { Migration } from '@mikro-orm/migrations';

// Assets: the row of a file whose bytes live in S3 (keys under the workspace's prefix). Related
// resources are polymorphic (type + id) and checked by kernel/related-resources.ts on write.
export class Migration20261202030001_assets extends Migration {
  override up(): void {
    this.addSql(`create table assets (
      id text primary key,
      workspace_id text not null references workspaces(id),
      name text not null,
      file_name text not null,
      mime_type text not null,
      asset_type text not null check (asset_type in ('document', 'image', 'video', 'attachment')),
      status text not null check (status in ('upload_pending', 'processing', 'available', 'failed', 'archived')),
      byte_size bigint check (byte_size >= 0),
      checksum_sha256 text check (checksum_sha256 ~ '^[0-9a-f]{64}$'),
      description text,
      related_resource_type text,
      related_resource_id text,
      custom_fields jsonb not null default '{}'::jsonb check (jsonb_typeof(custom_fields) = 'object'),
      metadata jsonb not null default '{}'::jsonb check (jsonb_typeof(metadata) = 'object'),
      failure jsonb check (failure is null or jsonb_typeof(failure) = 'object'),
      upload_key text not null,
      object_key text not null,
      complete_command_id text,
      uploaded_at timestamptz,
      archived_at timestamptz,
      purge_after timestamptz,
      object_deleted_at timestamptz,
      search_text text generated always as (
        lower(name || ' ' || file_name || ' ' || coalesce(description, '') || ' ' || mime_type)
      ) stored,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check ((related_resource_type is null) = (related_resource_id is null)),
      check ((status = 'archived') = (archived_at is not null)),
      check (status <> 'available' or uploaded_at is not null),
      check (status <> 'failed' or failure is not null),
      check (status <> 'processing' or complete_command_id is not null)
    )`);
    // listAssets reads newest first; archived rows are hidden unless asked for, so the default
    // list has a partial index of its own.
    this.addSql(`create index assets_workspace_live_idx on assets (workspace_id, id) where status <> 'archived'`);
    this.addSql(`create index assets_workspace_status_idx on assets (workspace_id, status, id)`);
    this.addSql(`create index assets_workspace_type_idx on assets (workspace_id, asset_type, id)`);
    this.addSql(`create index assets_workspace_related_idx on assets (workspace_id, related_resource_type, related_resource_id, id)`);
    this.addSql(`create index assets_search_idx on assets using gin (workspace_id, search_text gin_trgm_ops)`);
    this.addSql(`create index assets_custom_fields_idx on assets using gin (workspace_id, custom_fields)`);
  }
}
