import { Migration } from '@mikro-orm/migrations';

// The tracking plan: typed properties and the events that carry them. Each event row holds its
// current version and that version's compiled JSON Schema (`json` keeps the key order clients
// read; `jsonb` where the server queries into it).
export class Migration20261202050001_analytics_governance extends Migration {
  override up(): void {
    this.addSql(`create table analytics_properties (
      id text primary key,
      workspace_id text not null references workspaces(id),
      key text not null check (key ~ '^[a-z][a-z0-9_]{0,63}$'),
      type text not null check (type in ('string', 'number', 'integer', 'boolean', 'date_time', 'object', 'array')),
      description text,
      required boolean not null default false,
      constraints json not null default '{}',
      version integer not null default 1 check (version >= 1),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`);
    this.addSql(`create unique index analytics_properties_workspace_key_idx on analytics_properties (workspace_id, key)`);

    this.addSql(`create table analytics_events (
      id text primary key,
      workspace_id text not null references workspaces(id),
      name text not null check (name ~ '^[a-z][a-z0-9]*(_[a-z0-9]+)*$'),
      description text,
      owner text,
      status text not null default 'active' check (status in ('active', 'deprecated')),
      version integer not null default 1 check (version >= 1),
      property_keys jsonb not null default '[]' check (jsonb_typeof(property_keys) = 'array'),
      required_overrides jsonb not null default '{}' check (jsonb_typeof(required_overrides) = 'object'),
      json_schema json not null,
      search_text text generated always as (lower(name || ' ' || coalesce(description, ''))) stored,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`);
    // listAnalyticsEvents reads by name; the unique index serves the unfiltered list and lookups by name.
    this.addSql(`create unique index analytics_events_workspace_name_idx on analytics_events (workspace_id, name)`);
    this.addSql(`create index analytics_events_workspace_owner_name_idx on analytics_events (workspace_id, owner, name, id) where owner is not null`);
    this.addSql(`create index analytics_events_workspace_status_name_idx on analytics_events (workspace_id, status, name, id)`);
    this.addSql(`create index analytics_events_search_idx on analytics_events using gin (workspace_id, search_text gin_trgm_ops)`);
    // A property's redefinition finds the events that carry it (property_keys @> '["key"]').
    this.addSql(`create index analytics_events_property_keys_idx on analytics_events using gin (workspace_id, property_keys jsonb_path_ops)`);
  }
}
