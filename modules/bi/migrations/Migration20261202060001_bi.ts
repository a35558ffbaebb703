import { Migration } from '@mikro-orm/migrations';

// BI objects. Every reference carries the workspace (composite foreign keys), so a dataset,
// metric, report or card can never point into another workspace, whatever the code does.
export class Migration20261202060001_bi extends Migration {
  override up(): void {
    const object = (extra: string) => `
      id text primary key,
      workspace_id text not null references workspaces(id),
      name text not null,
      description text,
      status text not null check (status in ('draft', 'active', 'archived')),
      ${extra}
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      archived_at timestamptz,
      check ((status = 'archived') = (archived_at is not null)),
      unique (workspace_id, id)`;

    this.addSql(`create table bi_datasets (${object(`
      kind text not null check (kind in ('mock', 'table', 'view', 'semantic')),
      source_table text,
      sql text,
      columns jsonb not null,
      mock_rows jsonb,`)})`);
    this.addSql(`create table bi_metrics (${object(`
      dataset_id text not null,
      aggregation text not null check (aggregation in ('count', 'count_distinct', 'sum', 'avg', 'min', 'max', 'median')),
      column_name text,
      filters jsonb not null default '[]',
      time_column text,
      format text not null check (format in ('number', 'currency_cents', 'percent', 'duration_seconds')),
      check ((aggregation = 'count') or column_name is not null),
      foreign key (workspace_id, dataset_id) references bi_datasets (workspace_id, id),`)})`);
    this.addSql(`create table bi_reports (${object(`
      dataset_id text not null,
      visualization text not null check (visualization in ('table', 'number', 'bar', 'line', 'area', 'pie', 'scatter', 'funnel')),
      dimensions jsonb not null default '[]',
      metric_ids jsonb not null default '[]',
      filters jsonb not null default '[]',
      sort jsonb not null default '[]',
      time_dimension jsonb,
      row_limit integer not null check (row_limit between 1 and 10000),
      foreign key (workspace_id, dataset_id) references bi_datasets (workspace_id, id),`)})`);
    this.addSql(`create table bi_dashboards (${object('')})`);
    this.addSql(`create table bi_dashboard_cards (
      id text primary key,
      workspace_id text not null references workspaces(id),
      dashboard_id text not null,
      report_id text not null,
      title text,
      x integer not null check (x between 0 and 11),
      y integer not null check (y >= 0),
      width integer not null check (width between 1 and 12),
      height integer not null check (height between 1 and 50),
      created_at timestamptz not null default now(),
      check (x + width <= 12),
      foreign key (workspace_id, dashboard_id) references bi_dashboards (workspace_id, id) on delete cascade,
      foreign key (workspace_id, report_id) references bi_reports (workspace_id, id)
    )`);

    // Lists read newest first, by status; metrics and reports also by dataset.
    for (const table of ['bi_datasets', 'bi_metrics', 'bi_reports', 'bi_dashboards']) {
      this.addSql(`create index ${table}_workspace_status_idx on ${table} (workspace_id, status, id desc)`);
    }
    this.addSql(`create index bi_metrics_workspace_dataset_idx on bi_metrics (workspace_id, dataset_id, id desc)`);
    this.addSql(`create index bi_reports_workspace_dataset_idx on bi_reports (workspace_id, dataset_id, id desc)`);
    this.addSql(`create index bi_dashboard_cards_dashboard_idx on bi_dashboard_cards (workspace_id, dashboard_id, y, x)`);
    this.addSql(`create index bi_dashboard_cards_report_idx on bi_dashboard_cards (workspace_id, report_id)`);

    // BI snapshots are stale once the outbox shows a write after they were taken: that check
    // reads one workspace's recent events on every query.
    this.addSql(`create index outbox_events_workspace_occurred_idx on outbox_events (workspace_id, occurred_at)`);
  }
}
