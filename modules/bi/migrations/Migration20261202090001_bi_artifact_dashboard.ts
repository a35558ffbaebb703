import { Migration } from '@mikro-orm/migrations';

// A scheduled artifact may subscribe to a dashboard: each run's mail links its signed page. The
// export's source stays the report or dataset; the dashboard is of the same workspace (the
// composite key makes another workspace's id impossible, as for the sources).
export class Migration20261202090001_bi_artifact_dashboard extends Migration {
  override up(): void {
    this.addSql(`alter table bi_scheduled_artifacts add column dashboard_id text,
      add foreign key (workspace_id, dashboard_id) references bi_dashboards (workspace_id, id)`);
  }
}
