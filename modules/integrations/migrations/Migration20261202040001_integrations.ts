import { Migration } from '@mikro-orm/migrations';

// Integrations: custom event types, webhook endpoints, deliveries and their attempts. The
// deliveries are fanned out from the outbox (outbox_events) by the worker's relay.
export class Migration20261202040001_integrations extends Migration {
  override up(): void {
    // Custom event types only: the built-in ones come from the modules' manifests.
    this.addSql(`create table integration_event_types (
      id text primary key,
      workspace_id text not null references workspaces(id),
      key text not null,
      category text not null,
      description text,
      payload_schema jsonb,
      created_at timestamptz not null default now()
    )`);
    this.addSql(`create unique index integration_event_types_key_uq on integration_event_types (workspace_id, key)`);

    this.addSql(`create table webhook_endpoints (
      id text primary key,
      workspace_id text not null references workspaces(id),
      name text not null,
      url text not null,
      description text,
      event_types text[] not null check (cardinality(event_types) > 0),
      status text not null check (status in ('active', 'paused', 'disabled')),
      signing_secret text not null,
      previous_secret text,
      previous_secret_expires_at timestamptz,
      -- The first failed attempt of the current run of failures (cleared by any success).
      failing_since timestamptz,
      disabled_reason text,
      -- Set when a paused endpoint is resumed: the relay sends its held deliveries, then clears it.
      release_held boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check ((previous_secret is null) = (previous_secret_expires_at is null))
    )`);
    this.addSql(`create index webhook_endpoints_workspace_idx on webhook_endpoints (workspace_id, id)`);
    // The relay's lookup: the endpoints of a workspace that receive (active) or hold (paused) events.
    this.addSql(`create index webhook_endpoints_live_idx on webhook_endpoints (workspace_id) where status <> 'disabled'`);

    this.addSql(`create index webhook_endpoints_release_idx on webhook_endpoints (id) where release_held`);

    this.addSql(`create table webhook_deliveries (
      id text primary key,
      workspace_id text not null references workspaces(id),
      webhook_id text not null references webhook_endpoints(id),
      event_id text,
      event_type text not null,
      -- The webhook-id header: the event id (the test event's: the delivery id).
      message_id text not null,
      -- The exact bytes sent (and signed) on every attempt.
      body text not null,
      status text not null check (status in ('pending', 'retrying', 'succeeded', 'failed')),
      attempt_count integer not null default 0,
      last_attempt_at timestamptz,
      next_attempt_at timestamptz,
      response_status integer,
      last_error text,
      -- Set while the endpoint is paused: resuming it sends what is held.
      held_at timestamptz,
      completed_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`);
    // One delivery per event and endpoint, whatever happens to the relay.
    this.addSql(`create unique index webhook_deliveries_event_uq on webhook_deliveries (webhook_id, event_id) where event_id is not null`);
    this.addSql(`create index webhook_deliveries_list_idx on webhook_deliveries (workspace_id, webhook_id, id)`);
    this.addSql(`create index webhook_deliveries_status_idx on webhook_deliveries (workspace_id, webhook_id, status, id)`);
    this.addSql(`create index webhook_deliveries_held_idx on webhook_deliveries (webhook_id) where held_at is not null`);

    this.addSql(`create table webhook_attempts (
      delivery_id text not null references webhook_deliveries(id),
      attempt integer not null check (attempt > 0),
      workspace_id text not null references workspaces(id),
      started_at timestamptz not null,
      duration_ms integer,
      response_status integer,
      -- At most 1 KiB of the response body.
      response_excerpt text,
      error text,
      primary key (delivery_id, attempt)
    )`);
  }
}
