import { Migration } from '@mikro-orm/migrations';

// Leads and the bookkeeping of their conversion (the convertLead workflow). Runs before the deals
// migration, so deal_id is plain text here; contacts and companies already exist.
export class Migration20261128000002_leads extends Migration {
  override up(): void {
    this.addSql(`create table leads (
      id text primary key,
      workspace_id text not null references workspaces(id),
      name text not null,
      email text,
      phone text,
      title text,
      company_name text,
      company_domain text,
      source text not null check (source in ('manual', 'website', 'referral', 'campaign', 'import', 'api', 'mcp', 'other')),
      status text not null check (status in ('new', 'working', 'qualified', 'disqualified', 'converting', 'converted')),
      notes text,
      custom_fields jsonb not null default '{}'::jsonb check (jsonb_typeof(custom_fields) = 'object'),
      contact_id text references contacts(id),
      company_id text references companies(id),
      deal_id text,
      converted_at timestamptz,
      conversion_workflow_id text,
      -- Not served: the run that owns the conversion, the status to restore when it fails, and
      -- the records that run created (only those are removed by its compensation).
      conversion_run_id text,
      status_before_conversion text check (status_before_conversion in ('new', 'working', 'qualified')),
      created_company_id text,
      created_contact_id text,
      created_deal_id text,
      search_text text generated always as (
        lower(coalesce(name, '') || ' ' || coalesce(email, '') || ' ' || coalesce(company_name, '') || ' ' || coalesce(notes, ''))
      ) stored,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint leads_converted_at_matches_status check ((status = 'converted') = (converted_at is not null))
    )`);
    this.addSql(`create index leads_workspace_id_idx on leads (workspace_id, id)`);
    this.addSql(`create index leads_workspace_status_idx on leads (workspace_id, status, id)`);
    this.addSql(`create index leads_workspace_source_idx on leads (workspace_id, source, id)`);
    this.addSql(`create index leads_search_idx on leads using gin (workspace_id, search_text gin_trgm_ops)`);
    // jsonb_ops (not jsonb_path_ops): it serves both the key + value containment filter (@>) and
    // the key-only filter (?); jsonb_path_ops cannot answer key existence.
    this.addSql(`create index leads_custom_fields_idx on leads using gin (workspace_id, custom_fields)`);
  }
}
