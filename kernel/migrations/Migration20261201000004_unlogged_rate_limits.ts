import { Migration } from '@mikro-orm/migrations';

// Rate-limit counters are counted on every request: an unlogged table writes no WAL, so counting
// costs no flush. A PostgreSQL crash empties it, which only resets the current second's counts.
export class Migration20261201000004_unlogged_rate_limits extends Migration {
  override up(): void {
    this.addSql(`alter table rate_limit_windows set unlogged`);
  }
}
