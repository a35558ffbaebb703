// platform/transaction.ts inTransaction(): one transaction on one pooled connection, for the ORM
// and for sql() alike, committed when the work returns and rolled back when it throws, with
// nested em.transactional() as savepoints, and the connection always back in the pool.
import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { sourceFiles } from '../helpers/source-files.ts';
import { REPO_ROOT } from '../../platform/paths.ts';
import { sql, type EntityManager } from '../../platform/db.ts';
import { inTransaction } from '../../platform/transaction.ts';
import { CompanySchema } from '../../modules/crm/directory/entities.ts';

let h: Harness;
test.before(async () => { h = await bootHarness(); });
test.after.always(async () => { await h?.close(); });

let serial = 0;
const insertCompany = (em: EntityManager, workspaceId: string, name: string) =>
  sql(em, 'insert into companies (id, workspace_id, name, custom_fields) values (?, ?, ?, ?)', [`com_tx${++serial}_${Date.now()}`, workspaceId, name, '{}']);
const names = async (workspaceId: string) =>
  (await sql<{ name: string }[]>(h.deps.orm.em.fork(), 'select name from companies where workspace_id = ? order by name', [workspaceId])).map((r) => r.name);
const poolInUse = () => (h.deps.orm.em.getConnection() as unknown as { getKnex(): { client: { pool: { numUsed(): number } } } }).getKnex().client.pool.numUsed();

test.serial('commits the ORM unit of work and sql() statements together, unseen by other connections until then', async (t) => {
  const { id } = await h.workspace();
  const result = await inTransaction(h.deps.orm.em.fork(), async (tx) => {
    await insertCompany(tx, id, 'By sql');
    // Persisted, not flushed: the commit flushes it, as em.transactional() does.
    tx.persist(tx.create(CompanySchema, { id: `com_txorm_${Date.now()}`, workspace_id: id, name: 'By the ORM', custom_fields: {} }));
    t.deepEqual(await names(id), [], 'another connection sees nothing yet');
    const seen = await tx.find(CompanySchema, { workspace_id: id });
    t.deepEqual(seen.map((c) => c.name).sort(), ['By sql', 'By the ORM'], 'the ORM reads the transaction\'s own rows');
    return 'done';
  });
  t.is(result, 'done');
  t.deepEqual(await names(id), ['By sql', 'By the ORM']);
  t.is(poolInUse(), 0);
});

test.serial('an error rolls back everything, whichever statement began the transaction, and is rethrown as it was', async (t) => {
  const { id } = await h.workspace();
  const failure = new Error('domain rule');
  // The ORM's query first: BEGIN goes on its own.
  const first = await t.throwsAsync(inTransaction(h.deps.orm.em.fork(), async (tx) => {
    await tx.findOne(CompanySchema, { workspace_id: id });
    await insertCompany(tx, id, 'After an ORM read');
    throw failure;
  }));
  t.is(first, failure);
  // sql() first, two statements at once: BEGIN rides on the first of them and the second queues behind it.
  await t.throwsAsync(inTransaction(h.deps.orm.em.fork(), async (tx) => {
    await Promise.all([insertCompany(tx, id, 'Concurrent one'), insertCompany(tx, id, 'Concurrent two')]);
    throw failure;
  }), { is: failure });
  // A statement that fails in the database.
  await t.throwsAsync(inTransaction(h.deps.orm.em.fork(), async (tx) => {
    await insertCompany(tx, id, 'Before the bad statement');
    await sql(tx, 'select * from no_such_table');
  }), { message: /no_such_table/ });
  t.deepEqual(await names(id), []);
  t.is(poolInUse(), 0);
});

test.serial('a nested em.transactional() is a savepoint: its failure undoes only its own work', async (t) => {
  const { id } = await h.workspace();
  await inTransaction(h.deps.orm.em.fork(), async (tx) => {
    await insertCompany(tx, id, 'Outer');
    await t.throwsAsync(tx.transactional(async (inner) => {
      await insertCompany(inner, id, 'Inner, undone');
      throw new Error('inner fails');
    }), { message: 'inner fails' });
    await tx.transactional(async (inner) => {
      await insertCompany(inner, id, 'Inner, kept');
      inner.persist(inner.create(CompanySchema, { id: `com_txnested_${Date.now()}`, workspace_id: id, name: 'Inner ORM, kept', custom_fields: {} }));
    });
  });
  t.deepEqual(await names(id), ['Inner ORM, kept', 'Inner, kept', 'Outer']);
});

test.serial('a failing COMMIT (a deferred constraint) rejects, and nothing of the transaction stays', async (t) => {
  const em = h.deps.orm.em.fork();
  await sql(em, `create table if not exists tx_test_deferred (id int primary key, parent int references tx_test_deferred (id) deferrable initially deferred)`);
  try {
    await t.throwsAsync(inTransaction(h.deps.orm.em.fork(), async (tx) => {
      await sql(tx, 'insert into tx_test_deferred (id, parent) values (1, null), (2, 99)');
    }), { message: /foreign key/ });
    t.deepEqual(await sql(em, 'select id from tx_test_deferred'), []);
    t.is(poolInUse(), 0);
  } finally {
    await sql(em, 'drop table tx_test_deferred');
  }
});

test.serial('statements on the EntityManager of an ended transaction are refused, by sql() and by the ORM', async (t) => {
  const { id } = await h.workspace();
  let leaked: EntityManager | null = null;
  await inTransaction(h.deps.orm.em.fork(), async (tx) => { leaked = tx; await insertCompany(tx, id, 'Committed'); });
  await t.throwsAsync(sql(leaked!, 'select 1'), { message: /transaction has ended/ });
  await t.throwsAsync(leaked!.find(CompanySchema, { workspace_id: id }), { message: /already complete|transaction has ended/ });
  t.deepEqual(await names(id), ['Committed']);
});

test.serial('a connection that dies inside the transaction fails it, and the pool replaces the connection', async (t) => {
  const { id } = await h.workspace();
  await t.throwsAsync(inTransaction(h.deps.orm.em.fork(), async (tx) => {
    await insertCompany(tx, id, 'On a dying connection');
    await sql(tx, 'select pg_terminate_backend(pg_backend_pid())');
  }));
  for (let i = 0; i < 12; i++) await inTransaction(h.deps.orm.em.fork(), async (tx) => { await insertCompany(tx, id, `After ${String(i).padStart(2, '0')}`); });
  const after = await names(id);
  t.is(after.length, 12);
  t.false(after.includes('On a dying connection'));
  t.is(poolInUse(), 0);
});

test('the product opens its transactions through inTransaction() only, never em.transactional() directly', (t) => {
  const direct = ['platform', 'kernel', 'api', 'modules', 'app', 'tools', 'bin', 'bench'].flatMap(sourceFiles)
    .filter((file) => file !== join('platform', 'transaction.ts') && /\.transactional\(/.test(readFileSync(join(REPO_ROOT, file), 'utf8')));
  t.deepEqual(direct, []);
});
