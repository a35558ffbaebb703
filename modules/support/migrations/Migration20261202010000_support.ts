import { Migration } from '@mikro-orm/migrations';

// The support desk: queues, tickets (with their SLA clock), customer messages and internal comments.
export class Migration20261202010000_support extends Migration {
  override up(): void {
    this.addSql(`create table support_queues (
      id text primary key,
      workspace_id text not null references workspaces(id),
      key text not null,
      name text not null,
      description text,
      status text not null check (status in ('active', 'paused', 'archived')),
      first_response_target_minutes integer check (first_response_target_minutes > 0),
      resolution_target_minutes integer check (resolution_target_minutes > 0),
      custom_fields jsonb not null default '{}'::jsonb check (jsonb_typeof(custom_fields) = 'object'),
      search_text text generated always as (lower(key || ' ' || name)) stored,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (workspace_id, id)
    )`);
    this.addSql(`create unique index support_queues_workspace_key_idx on support_queues (workspace_id, key)`);
    this.addSql(`create index support_queues_custom_fields_idx on support_queues using gin (workspace_id, custom_fields)`);

    this.addSql(`create table support_tickets (
      id text primary key,
      workspace_id text not null references workspaces(id),
      subject text not null,
      description text,
      status text not null check (status in ('new', 'open', 'pending', 'waiting_on_customer', 'resolved', 'closed')),
      priority text not null check (priority in ('low', 'normal', 'high', 'urgent')),
      source text not null check (source in ('manual', 'email', 'chat', 'phone', 'web', 'api', 'mcp', 'slack', 'other')),
      category text,
      queue_id text,
      assignee_id text,
      contact_id text references contacts(id),
      company_id text references companies(id),
      deal_id text references deals(id),
      lead_id text references leads(id),
      invoice_id text references invoices(id),
      custom_fields jsonb not null default '{}'::jsonb check (jsonb_typeof(custom_fields) = 'object'),
      first_response_due_at timestamptz,
      first_responded_at timestamptz,
      first_response_breached_at timestamptz,
      resolution_due_at timestamptz,
      resolution_breached_at timestamptz,
      sla_paused_at timestamptz,
      sla_paused_ms bigint not null default 0 check (sla_paused_ms >= 0),
      sla_run_active boolean not null default false,
      resolved_at timestamptz,
      closed_at timestamptz,
      -- Not served: every message body, appended as messages arrive (they are immutable), so one
      -- trigram index answers a search over subject, description and the conversation.
      message_text text not null default '',
      search_text text generated always as (
        lower(subject || ' ' || coalesce(description, '') || ' ' || message_text)
      ) stored,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (workspace_id, id),
      foreign key (workspace_id, queue_id) references support_queues (workspace_id, id),
      -- The ticket state machine's timestamps (modules/support/ticket-status.ts) and its clock.
      constraint support_tickets_closed_at check ((status = 'closed') = (closed_at is not null)),
      constraint support_tickets_resolved_at check ((status <> 'resolved' or resolved_at is not null) and (status in ('resolved', 'closed') or resolved_at is null)),
      constraint support_tickets_sla_clock check ((sla_paused_at is null) = (status in ('new', 'open')))
    )`);
    // Each list filter keeps the newest-first order (a partial index where the column is optional).
    this.addSql(`create index support_tickets_status_idx on support_tickets (workspace_id, status, id)`);
    this.addSql(`create index support_tickets_priority_idx on support_tickets (workspace_id, priority, id)`);
    this.addSql(`create index support_tickets_source_idx on support_tickets (workspace_id, source, id)`);
    for (const column of ['category', 'queue_id', 'assignee_id', 'contact_id', 'company_id', 'deal_id', 'lead_id', 'invoice_id']) {
      this.addSql(`create index support_tickets_${column}_idx on support_tickets (workspace_id, ${column}, id) where ${column} is not null`);
    }
    this.addSql(`create index support_tickets_search_idx on support_tickets using gin (workspace_id, search_text gin_trgm_ops)`);
    // jsonb_ops: serves both containment (@>, key + value) and key existence (?), as for leads.
    this.addSql(`create index support_tickets_custom_fields_idx on support_tickets using gin (workspace_id, custom_fields)`);

    this.addSql(`create table support_ticket_messages (
      id text primary key,
      workspace_id text not null,
      ticket_id text not null,
      direction text not null check (direction in ('inbound', 'outbound')),
      channel text not null check (channel in ('email', 'chat', 'phone', 'web', 'api', 'mcp', 'slack', 'other')),
      body text not null,
      author_name text,
      author_email text,
      custom_fields jsonb not null default '{}'::jsonb check (jsonb_typeof(custom_fields) = 'object'),
      search_text text generated always as (lower(body)) stored,
      created_at timestamptz not null default now(),
      foreign key (workspace_id, ticket_id) references support_tickets (workspace_id, id)
    )`);
    this.addSql(`create index support_ticket_messages_ticket_idx on support_ticket_messages (workspace_id, ticket_id, created_at, id)`);

    this.addSql(`create table support_ticket_comments (
      id text primary key,
      workspace_id text not null,
      ticket_id text not null,
      body text not null,
      pinned boolean not null default false,
      author_id text,
      custom_fields jsonb not null default '{}'::jsonb check (jsonb_typeof(custom_fields) = 'object'),
      search_text text generated always as (lower(body)) stored,
      -- Ids sort by creation time, so '0' || id lists pinned comments first, each group oldest first.
      list_key text generated always as ((case when pinned then '0' else '1' end) || id) stored,
      created_at timestamptz not null default now(),
      foreign key (workspace_id, ticket_id) references support_tickets (workspace_id, id)
    )`);
    this.addSql(`create index support_ticket_comments_ticket_idx on support_ticket_comments (workspace_id, ticket_id, list_key, id)`);

    // Messages and comments are a record of what was said: they never change.
    this.addSql(`create function support_refuse_change() returns trigger language plpgsql as $$
      begin
        raise exception '% rows are immutable', tg_table_name using errcode = 'check_violation';
      end $$`);
    for (const table of ['support_ticket_messages', 'support_ticket_comments']) {
      this.addSql(`create trigger ${table}_immutable before update on ${table} for each row execute function support_refuse_change()`);
    }
  }
}
