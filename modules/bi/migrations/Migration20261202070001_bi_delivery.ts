import { Migration } from '@mikro-orm/migrations';

// BI delivery: export jobs and scheduled artifacts. Sources reference their report or dataset
// within the same workspace (composite foreign keys), like every BI object.
export class Migration20261202070001_bi_delivery extends Migration {
  override up(): void {
    this.addSql(`create table bi_scheduled_artifacts (
      id text primary key,
      workspace_id text not null references workspaces(id),
      name text not null,
      description text,
      status text not null check (status in ('active', 'paused', 'archived')),
      report_id text,
      dataset_id text,
      format text not null check (format in ('csv', 'xlsx', 'json', 'parquet')),
      cron text not null,
      timezone text not null,
      recipients jsonb not null,
      subject text,
      message text,
      last_export_id text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      archived_at timestamptz,
      check ((status = 'archived') = (archived_at is not null)),
      check ((report_id is null) <> (dataset_id is null)),
      unique (workspace_id, id),
      foreign key (workspace_id, report_id) references bi_reports (workspace_id, id),
      foreign key (workspace_id, dataset_id) references bi_datasets (workspace_id, id)
    )`);
    this.addSql(`create table bi_exports (
      id text primary key,
      workspace_id text not null references workspaces(id),
      status text not null check (status in ('queued', 'running', 'succeeded', 'failed')),
      progress integer not null check (progress between 0 and 100),
      format text not null check (format in ('csv', 'xlsx', 'json', 'parquet')),
      report_id text,
      dataset_id text,
      sql text,
      filters jsonb not null default '[]',
      row_limit integer not null check (row_limit between 1 and 1000000),
      file_name text not null,
      planned_rows integer,
      row_count integer,
      byte_size bigint,
      sha256 text,
      object_key text not null,
      error jsonb,
      workflow_id text not null,
      scheduled_artifact_id text,
      schedule_run text,
      started_at timestamptz,
      completed_at timestamptz,
      expires_at timestamptz,
      file_deleted_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (num_nonnulls(report_id, dataset_id, sql) = 1),
      check ((status = 'failed') = (error is not null)),
      unique (workspace_id, id),
      unique (workspace_id, schedule_run),
      foreign key (workspace_id, report_id) references bi_reports (workspace_id, id),
      foreign key (workspace_id, dataset_id) references bi_datasets (workspace_id, id),
      foreign key (workspace_id, scheduled_artifact_id) references bi_scheduled_artifacts (workspace_id, id)
    )`);
    this.addSql(`create index bi_exports_workspace_idx on bi_exports (workspace_id, id desc)`);
    this.addSql(`create index bi_exports_workspace_artifact_idx on bi_exports (workspace_id, scheduled_artifact_id, id desc) where scheduled_artifact_id is not null`);
    this.addSql(`create index bi_scheduled_artifacts_workspace_status_idx on bi_scheduled_artifacts (workspace_id, status, id desc)`);
  }
}
