import { Migration } from '@mikro-orm/migrations';

export class Migration20261128000003_deals extends Migration {
  override up(): void {
  }
}
