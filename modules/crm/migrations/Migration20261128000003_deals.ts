import { Migration } from '@mikro-orm/migrations';

// Deal pipeline: stages (key unique per workspace, ordered by position) and deals.
export class Migration20261128000003_deals extends Migration {
  override up(): void {
    this.addSql(`create table deal_stages (
      id text primary key,
      workspace_id text not null references workspaces(id),
      key text not null check (key ~ '^[a-z][a-z0-9_]{0,63}$'),
      name text not null,
      position integer not null check (position >= 0),
      outcome text not null check (outcome in ('open', 'won', 'lost')),
      search_text text generated always as (lower(key || ' ' || name)) stored,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`);
    this.addSql(`create unique index deal_stages_workspace_key_uq on deal_stages (workspace_id, key)`);
    // The list order, and the first open stage.
    this.addSql(`create index deal_stages_workspace_position_idx on deal_stages (workspace_id, position, id)`);
    this.addSql(`create index deal_stages_search_idx on deal_stages using gin (workspace_id, search_text gin_trgm_ops)`);
    // Target of the deals' composite foreign key below.
    this.addSql(`create unique index deal_stages_identity_uq on deal_stages (workspace_id, id, key, outcome)`);

    this.addSql(`create table deals (
      id text primary key,
      workspace_id text not null references workspaces(id),
      name text not null,
      stage_id text not null,
      stage text not null,
      status text not null check (status in ('open', 'won', 'lost')),
      amount_cents bigint check (amount_cents >= 0),
      currency text check (currency ~ '^[A-Z]{3}$'),
      company_id text references companies(id),
      contact_id text references contacts(id),
      lead_id text references leads(id),
      expected_close_date date,
      closed_at timestamptz,
      notes text,
      custom_fields jsonb not null default '{}'::jsonb,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint deals_amount_has_currency check (amount_cents is null or currency is not null),
      constraint deals_closed_at_matches_status check ((status = 'open') = (closed_at is null)),
      -- The stage belongs to the deal's workspace, and the copied key and outcome match it.
      constraint deals_stage_fk foreign key (workspace_id, stage_id, stage, status)
        references deal_stages (workspace_id, id, key, outcome) on update cascade
    )`);
    this.addSql(`create index deals_workspace_id_idx on deals (workspace_id, id)`);
    this.addSql(`create index deals_workspace_stage_idx on deals (workspace_id, stage_id, id)`);
    this.addSql(`create index deals_workspace_company_idx on deals (workspace_id, company_id, id) where company_id is not null`);
    this.addSql(`create index deals_workspace_contact_idx on deals (workspace_id, contact_id, id) where contact_id is not null`);
    this.addSql(`create index deals_workspace_lead_idx on deals (workspace_id, lead_id) where lead_id is not null`);
  }
}
