import { Migration } from '@mikro-orm/migrations';

export class Migration20261128000005_tasks_activities extends Migration {
  override up(): void {
  }
}
