import { Migration } from '@mikro-orm/migrations';

export class Migration20261128000002_leads extends Migration {
  override up(): void {
  }
}
