import { Migration } from '@mikro-orm/migrations';

// A workflow command may signal-with-start (kernel/workflow-commands/enqueue.ts): a running
// workflow of its id gets the signal instead of a new run starting.
export class Migration20261202020001_workflow_command_signal extends Migration {
  override up(): void {
    this.addSql(`alter table workflow_commands add column signal text`);
  }
}
