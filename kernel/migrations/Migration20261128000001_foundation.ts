import { Migration } from '@mikro-orm/migrations';

// Foundation: workspaces, tokens, contacts, companies, the domain-event outbox, idempotency keys
// and rate-limit counters. Every tenant table leads with workspace_id in its keys and indexes.
export class Migration20261128000001_foundation extends Migration {
  override up(): void {
    this.addSql(`create extension if not exists pg_trgm`);
    this.addSql(`create extension if not exists btree_gin`);

    this.addSql(`create table workspaces (
      id text primary key,
      name text not null,
      enabled_modules text[] not null,
      rate_limit_per_second integer check (rate_limit_per_second > 0),
      status text not null default 'provisioning' check (status in ('provisioning', 'active')),
      provisioned_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`);

    this.addSql(`create table api_tokens (
      id text primary key,
      workspace_id text not null references workspaces(id),
      name text,
      token_hash text not null unique,
      scopes text[] not null,
      created_at timestamptz not null default now(),
      revoked_at timestamptz
    )`);
    this.addSql(`create index api_tokens_workspace_idx on api_tokens (workspace_id)`);

    this.addSql(`create table companies (
      id text primary key,
      workspace_id text not null references workspaces(id),
      name text not null,
      domain text,
      website text,
      industry text,
      notes text,
      custom_fields jsonb not null default '{}'::jsonb,
      search_text text generated always as (
        lower(coalesce(name, '') || ' ' || coalesce(domain, '') || ' ' || coalesce(website, '') || ' ' || coalesce(notes, ''))
      ) stored,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`);
    this.addSql(`create unique index companies_workspace_domain_uq on companies (workspace_id, lower(domain)) where domain is not null`);
    this.addSql(`create index companies_workspace_name_idx on companies (workspace_id, lower(name))`);
    this.addSql(`create index companies_workspace_id_idx on companies (workspace_id, id)`);
    this.addSql(`create index companies_search_idx on companies using gin (workspace_id, search_text gin_trgm_ops)`);

    this.addSql(`create table contacts (
      id text primary key,
      workspace_id text not null references workspaces(id),
      name text not null,
      email text,
      phone text,
      title text,
      company_id text references companies(id),
      company_name text,
      notes text,
      custom_fields jsonb not null default '{}'::jsonb,
      search_text text generated always as (
        lower(coalesce(name, '') || ' ' || coalesce(email, '') || ' ' || coalesce(company_name, '') || ' ' || coalesce(notes, ''))
      ) stored,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`);
    this.addSql(`create unique index contacts_workspace_email_uq on contacts (workspace_id, lower(email)) where email is not null`);
    this.addSql(`create index contacts_workspace_id_idx on contacts (workspace_id, id)`);
    this.addSql(`create index contacts_workspace_company_idx on contacts (workspace_id, company_id, id)`);
    this.addSql(`create index contacts_search_idx on contacts using gin (workspace_id, search_text gin_trgm_ops)`);

    // Domain events, written in the transaction of the change that caused them.
    this.addSql(`create table outbox_events (
      id text primary key,
      workspace_id text not null references workspaces(id),
      type text not null,
      resource_type text not null,
      resource_id text not null,
      payload jsonb not null,
      request_id text,
      occurred_at timestamptz not null default now(),
      published_at timestamptz
    )`);
    this.addSql(`create index outbox_events_unpublished_idx on outbox_events (occurred_at) where published_at is null`);
    this.addSql(`create index outbox_events_resource_idx on outbox_events (workspace_id, resource_id)`);

    // Idempotency-Key records: the primary key makes concurrent first uses race-safe.
    this.addSql(`create table idempotency_keys (
      workspace_id text not null references workspaces(id),
      operation text not null,
      key text not null,
      request_hash text not null,
      state text not null check (state in ('in_progress', 'completed')),
      response_status integer,
      response_body jsonb,
      locked_at timestamptz not null default now(),
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      primary key (workspace_id, operation, key)
    )`);
    this.addSql(`create index idempotency_keys_expiry_idx on idempotency_keys (expires_at)`);

    // One fixed one-second window per workspace, shared by every API process.
    this.addSql(`create table rate_limit_windows (
      workspace_id text primary key references workspaces(id),
      window_start bigint not null,
      request_count integer not null
    )`);
  }
}
