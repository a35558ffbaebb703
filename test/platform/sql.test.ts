// platform/db.ts sql(): raw SQL sent straight to the driver connection the ORM holds, inside the
// EntityManager's transaction when it has one, and formatted as the ORM formats it.
import test from 'ava';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { sql } from '../../platform/db.ts';

let h: Harness;
test.before(async () => { h = await bootHarness(); });
test.after.always(async () => { await h?.close(); });

test('sql() runs in the transaction of its EntityManager: its writes are seen inside, and gone with a rollback', async (t) => {
  const { id } = await h.workspace();
  const em = h.deps.orm.em.fork();
  await t.throwsAsync(em.transactional(async (tx) => {
    await sql(tx, `insert into companies (id, workspace_id, name, custom_fields) values (?, ?, ?, ?)`, ['com_sqltest1', id, 'Inside', JSON.stringify({ a: 1 })]);
    const [seen] = await sql<{ n: number }[]>(tx, 'select count(*)::int as n from companies where workspace_id = ?', [id]);
    t.is(seen!.n, 1, 'the transaction sees its own row');
    const [outside] = await sql<{ n: number }[]>(em.fork(), 'select count(*)::int as n from companies where workspace_id = ?', [id]);
    t.is(outside!.n, 0, 'another connection does not');
    throw new Error('roll back');
  }), { message: 'roll back' });
  t.is((await sql<{ n: number }[]>(em, 'select count(*)::int as n from companies where workspace_id = ?', [id]))[0]!.n, 0);
});

test('sql() formats values as the ORM does (dates, JSON, arrays in IN lists, quotes) and answers one result per statement of a list', async (t) => {
  const at = new Date('2026-01-02T03:04:05.678Z');
  const [row] = await sql<{ at: string | Date; doc: { k: string }; n: number; quoted: string }[]>(h.deps.orm.em.fork(),
    `select ?::timestamptz as at, ?::jsonb as doc, (select count(*)::int from unnest(array[1, 2, 3]) x where x in (?)) as n, ? as quoted`,
    [at, JSON.stringify({ k: "it's" }), [1, 3], "O'Brien"]);
  t.is(new Date(row!.at).toISOString(), at.toISOString());
  t.deepEqual(row!.doc, { k: "it's" });
  t.is(row!.n, 2);
  t.is(row!.quoted, "O'Brien");
  const both = await sql<[{ a: number }[], { b: number }[]]>(h.deps.orm.em.fork(), 'select 1 as a; select 2 as b');
  t.deepEqual(both, [[{ a: 1 }], [{ b: 2 }]]);
});

test('sql() on the EntityManager of a transaction that has ended is refused, not run outside it', async (t) => {
  let leaked: Parameters<typeof sql>[0] | null = null;
  await h.deps.orm.em.fork().transactional(async (tx) => { leaked = tx; });
  await t.throwsAsync(sql(leaked!, 'select 1'), { message: /transaction has ended/ });
});
