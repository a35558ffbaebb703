import { Migration } from '@mikro-orm/migrations';

// Workflow commands: a workflow start committed with the row it is about (kernel/workflow-commands).
export class Migration20261201000001_workflow_commands extends Migration {
  override up(): void {
    this.addSql(`create table workflow_commands (
      id text primary key,
      workspace_id text not null references workspaces(id),
      workflow_type text not null,
      workflow_id text not null,
      resource_id text not null,
      args jsonb not null,
      dedup_key text not null,
      reuse text not null check (reuse in ('reject_duplicate', 'allow_duplicate', 'allow_duplicate_failed_only')),
      request_id text,
      created_at timestamptz not null default now(),
      next_attempt_at timestamptz not null default now(),
      attempts integer not null default 0,
      last_error text,
      dispatched_at timestamptz,
      run_id text,
      abandoned_at timestamptz
    )`);
    // The relay's queue: pending commands by when they are due.
    this.addSql(`create index workflow_commands_pending_idx on workflow_commands (next_attempt_at) where dispatched_at is null and abandoned_at is null`);
    this.addSql(`create index workflow_commands_workflow_idx on workflow_commands (workflow_id)`);
  }
}
