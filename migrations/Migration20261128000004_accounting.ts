import { Migration } from '@mikro-orm/migrations';

export class Migration20261128000004_accounting extends Migration {
  override up(): void {
  }
}
