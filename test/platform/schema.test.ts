// The migrated database matches the entities: MikroORM's own schema comparison between the
// database and the entity metadata finds no difference beyond the documented exceptions.
// Exceptions, by design (the migrations are the source of truth for everything SQL-only):
// - indexes, foreign keys and check constraints live in the migrations, not in the entities;
// - column defaults: the migrations give database defaults (for rows written by raw SQL), the
//   entities set their values on create;
// - generated columns (search_text, search vectors): their expressions live in the migrations,
//   and an entity may leave out one it only reads in SQL;
// - tables used only through raw SQL have no entity (RAW_SQL_TABLES).
import test from 'ava';
import { DatabaseSchema, SchemaComparator, type AbstractSqlConnection, type AbstractSqlPlatform } from '@mikro-orm/knex';
import { loadConfig } from '../../platform/config.ts';
import { openOrm } from '../../app/orm.ts';

const RAW_SQL_TABLES: Record<string, string> = {
  idempotency_keys: 'claimed and completed with raw upserts (api/middleware/idempotency.ts)',
  rate_limit_windows: 'counted with the token lookup in one statement (api/middleware/admission.ts)',
  webhook_attempts: 'each delivery attempt inserted and completed with raw SQL (modules/integrations/delivery/attempts.ts)',
  invoice_number_counters: 'a counter bumped with an upsert (modules/crm/accounting/invoice-numbers.ts)',
  bi_artifact_mails: 'the mail ledger of scheduled report runs, planned and marked with raw SQL (modules/bi/artifacts/mail-ledger.ts)',
};

test('the schema the migrations build is the one the entities describe', async (t) => {
  const orm = await openOrm(loadConfig(process.env, { root: '/nonexistent' }).databaseUrl);
  try {
    const platform = orm.em.getPlatform() as AbstractSqlPlatform;
    const target = (orm.getSchemaGenerator() as unknown as { getTargetSchema: () => DatabaseSchema }).getTargetSchema();
    const current = await DatabaseSchema.create(orm.em.getConnection() as AbstractSqlConnection, platform, orm.config, 'public', undefined, undefined, ['mikro_orm_migrations']);
    const diff = new SchemaComparator(platform).compare(current, target);

    t.deepEqual(Object.keys(diff.newTables), [], 'an entity whose table no migration creates');
    const unmapped = Object.keys(diff.removedTables).map((n) => n.replace(/^public\./, '')).filter((n) => !RAW_SQL_TABLES[n]);
    t.deepEqual(unmapped, [], 'a table with neither an entity nor a documented raw-SQL reason');

    for (const [table, change] of Object.entries(diff.changedTables)) {
      const dbTable = current.getTable(table.replace(/^public\./, ''))!;
      const added = Object.keys(change.addedColumns);
      const removed = Object.keys(change.removedColumns);
      // A generated column reads as removed and re-added (its expression is not in the entity).
      const generated = (c: string) => Boolean(dbTable.getColumn(c)?.generated);
      t.deepEqual(added.filter((c) => !(removed.includes(c) && generated(c))), [], `${table}: columns an entity has and the migrations lack`);
      // A generated column may also be left out of the entity (it is only read in SQL).
      t.deepEqual(removed.filter((c) => !generated(c)), [], `${table}: columns the migrations have and no entity maps`);
      for (const [column, d] of Object.entries(change.changedColumns)) {
        const props = [...d.changedProperties].filter((p) => p !== 'default');
        t.deepEqual(props, [], `${table}.${column}: type, nullability or enum values differ`);
      }
    }
  } finally {
    await orm.close(true);
  }
});
