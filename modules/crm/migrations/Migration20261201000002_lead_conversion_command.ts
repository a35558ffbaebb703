import { Migration } from '@mikro-orm/migrations';

// A lead names the workflow command its conversion belongs to (kernel/workflow-commands): the run
// of that command owns the conversion; a run of another command is stale.
export class Migration20261201000002_lead_conversion_command extends Migration {
  override up(): void {
    this.addSql(`alter table leads add column conversion_command_id text`);
  }
}
