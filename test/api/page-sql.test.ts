// findPage writes a list's SQL from the entity's metadata (kernel/page-sql.ts) when the filter
// allows it: the rows, their order across pages (nulls last, id tiebreak) and their values must
// be the ORM's.
import test from 'ava';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { findPage } from '../../kernel/pagination.ts';
import { whereSql } from '../../kernel/page-sql.ts';
import { TaskSchema, type Task } from '../../modules/tasks/entities.ts';
import { ContactSchema } from '../../modules/crm/directory/entities.ts';

let h: Harness;
test.before(async () => { h = await bootHarness(); });
test.after.always(async () => { await h?.close(); });

test('a sorted, filtered walk gives the ORM query\'s rows, in its order, with its values', async (t) => {
  const { id: ws } = await h.workspace();
  await h.sql(`insert into tasks (id, workspace_id, title, status, due_date, completed_at, created_at, updated_at)
    select 'tsk_p' || lpad(g::text, 4, '0'), ?, 'Task ' || g, (array['open','completed','canceled'])[1 + g % 3],
           case when g % 4 = 0 then null else date '2026-01-01' + (g % 5) end,
           case when g % 3 = 1 then timestamptz '2026-02-03 04:05:06.789+00' + g * interval '1 minute' end,
           now(), now()
      from generate_series(1, 23) g`, [ws]);
  const where = { status: { $in: ['open', 'completed'] as Task['status'][] }, title: { $like: 'Task %' } };
  const em = h.deps.orm.em.fork();
  const expected = await em.find(TaskSchema, { workspace_id: ws, ...where }, { orderBy: { due_date: 'asc nulls last', id: 'asc' } as never });
  const seen: Task[] = [];
  let cursor: string | undefined;
  do {
    const page = await findPage(h.tenant(ws, em.fork()), TaskSchema, 'tasks', where as never, { limit: 4, cursor }, { field: 'due_date', direction: 'asc' });
    seen.push(...page.items);
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  t.true(expected.length > 10);
  t.deepEqual(seen.map((r) => r.id), expected.map((r) => r.id));
  t.true(seen.some((r) => r.due_date === null), 'nulls come last, across pages');
  for (const [i, row] of seen.entries()) {
    const orm = expected[i]!;
    t.is(row.due_date, orm.due_date);
    t.deepEqual(row.completed_at, orm.completed_at);
    t.true(row.created_at instanceof Date);
    t.is(row.created_at.getTime(), orm.created_at.getTime());
  }
});

test('filters the SQL path cannot express keep the query builder; the ones it can are parameterized', (t) => {
  const meta = h.deps.orm.getMetadata().get(ContactSchema.meta.className);
  const platform = h.deps.orm.em.getPlatform();
  t.is(whereSql(meta, platform, { custom_fields: { $contains: { a: 1 } } }), null, 'JSON containment');
  t.is(whereSql(meta, platform, { custom_fields: { $hasKey: 'a' } }), null);
  t.is(whereSql(meta, platform, { no_such_column: 1 }), null);
  t.is(whereSql(meta, platform, { name: { $regex: 'x' } }), null);
  const compiled = whereSql(meta, platform, { $and: [{ workspace_id: 'wrk_1' }, { $or: [{ company_id: null, id: { $lt: "con_'x" } }, { id: { $in: [] } }] }] });
  t.deepEqual(compiled, {
    sql: '("workspace_id" = ? and (("company_id" is null and "id" < ?) or false))',
    params: ['wrk_1', "con_'x"],
  });
});

test('a search pattern with LIKE wildcards matches them literally', async (t) => {
  const { client } = await h.workspace();
  await client.post('/contacts', { name: '100% sure' });
  await client.post('/contacts', { name: '1000 sure' });
  await client.post('/contacts', { name: 'under_score' });
  await client.post('/contacts', { name: "O'Brien \\ back" });
  const percent = await client.get(`/contacts?query=${encodeURIComponent('100%')}`);
  t.deepEqual(percent.contractErrors, []);
  t.deepEqual(percent.body.data.map((c: { name: string }) => c.name), ['100% sure']);
  const underscore = await client.get(`/contacts?query=${encodeURIComponent('r_s')}`);
  t.deepEqual(underscore.body.data.map((c: { name: string }) => c.name), ['under_score']);
  const quote = await client.get(`/contacts?query=${encodeURIComponent("o'brien \\")}`);
  t.deepEqual(quote.body.data.map((c: { name: string }) => c.name), ["O'Brien \\ back"]);
});
