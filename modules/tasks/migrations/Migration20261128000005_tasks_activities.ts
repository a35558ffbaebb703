import { Migration } from '@mikro-orm/migrations';

// Tasks and the activity log. Related resources are polymorphic (type + id), so they carry no
// foreign key: domain/platform/resources.ts checks they exist in the workspace on every write.
export class Migration20261128000005_tasks_activities extends Migration {
  override up(): void {
    this.addSql(`create table tasks (
      id text primary key,
      workspace_id text not null references workspaces(id),
      title text not null,
      description text,
      status text not null default 'open' check (status in ('open', 'completed', 'canceled')),
      assignee_id text,
      due_date date,
      related_resource_type text,
      related_resource_id text,
      completed_at timestamptz,
      completed_note text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check ((related_resource_type is null) = (related_resource_id is null)),
      check ((status = 'completed') = (completed_at is not null))
    )`);
    // listTasks reads by due date (nulls last), then id; each filter gets the same order.
    this.addSql(`create index tasks_workspace_due_idx on tasks (workspace_id, due_date, id)`);
    this.addSql(`create index tasks_workspace_status_due_idx on tasks (workspace_id, status, due_date, id)`);
    this.addSql(`create index tasks_workspace_assignee_due_idx on tasks (workspace_id, assignee_id, due_date, id) where assignee_id is not null`);

    this.addSql(`create table activities (
      id text primary key,
      workspace_id text not null references workspaces(id),
      type text not null check (type in ('note', 'call', 'email', 'meeting', 'agent_action')),
      summary text not null,
      body text,
      occurred_at timestamptz not null,
      related_resource_type text,
      related_resource_id text,
      actor_type text not null check (actor_type in ('api_token', 'system')),
      actor_id text,
      search_text text generated always as (lower(summary || ' ' || coalesce(body, ''))) stored,
      created_at timestamptz not null default now(),
      check ((related_resource_type is null) = (related_resource_id is null))
    )`);
    // listActivities reads newest occurred_at first; the timeline filter gets its own index.
    this.addSql(`create index activities_workspace_occurred_idx on activities (workspace_id, occurred_at desc, id desc)`);
    this.addSql(`create index activities_workspace_type_occurred_idx on activities (workspace_id, type, occurred_at desc, id desc)`);
    this.addSql(`create index activities_workspace_related_idx on activities (workspace_id, related_resource_type, related_resource_id, occurred_at desc, id desc)`);
    this.addSql(`create index activities_search_idx on activities using gin (workspace_id, search_text gin_trgm_ops)`);
  }
}
