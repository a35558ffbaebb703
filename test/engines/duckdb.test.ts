// DuckDB (the BI engine) reading the running PostgreSQL through the postgres extension: rows
// written through the API are visible, scoped by workspace, and the attachment is read-only.
import { randomBytes } from 'node:crypto';
import test from 'ava';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { createDuckDb, postgresUrlToConnInfo } from '../../platform/duckdb.ts';

let h: Harness;
test.before(async () => { h = await bootHarness(); });
test.after.always(async () => { await h?.close(); });

async function createContacts(client: Awaited<ReturnType<Harness['workspace']>>['client'], n: number, tag: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const res = await client.post('/contacts', { name: `${tag} contact ${i}`, email: `${tag}-${i}@example.com` });
    if (res.status !== 201) throw new Error(`POST /contacts answered ${res.status}: ${JSON.stringify(res.body)}`);
    if (res.contractErrors.length) throw new Error(res.contractErrors.join('; '));
    ids.push(res.body.data.id);
  }
  return ids;
}

function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: run the tests through bin/test');
  return url;
}

test('DuckDB counts one workspace\'s contacts through a read-only PostgreSQL attachment', async (t) => {
  const [a, b] = [await h.workspace(), await h.workspace()];
  const idsA = await createContacts(a.client, 3, 'duck-a');
  const idsB = await createContacts(b.client, 2, 'duck-b');

  const duck = await createDuckDb(h.config);
  t.teardown(() => duck.close());
  await duck.attachPostgres(databaseUrl(), 'pg');

  const [countA] = await duck.query<{ n: bigint }>('select count(*) as n from pg.public.contacts where workspace_id = $1', [a.id]);
  t.is(countA?.n, 3n);
  const rowsA = await duck.query<{ id: string }>('select id from pg.public.contacts where workspace_id = $ws order by id', { ws: a.id });
  t.deepEqual(rowsA.map((r) => r.id), [...idsA].sort());
  t.false(rowsA.some((r) => idsB.includes(r.id)), 'another workspace\'s contacts must not be counted');
  const [countB] = await duck.query<{ n: bigint }>('select count(*) as n from pg.public.contacts where workspace_id = $1', [b.id]);
  t.is(countB?.n, 2n);

  // Writing through the attachment fails, and nothing changed in PostgreSQL.
  const err = await t.throwsAsync(duck.query('update pg.public.contacts set name = $1 where workspace_id = $2', ['overwritten', a.id]));
  t.regex(err?.message ?? '', /read[- ]only/i);
  await t.throwsAsync(duck.query('create table pg.public.duckdb_write_probe (id integer)'), { message: /read[- ]only/i });
  const listed = await a.client.get('/contacts?limit=100');
  t.is(listed.status, 200);
  t.deepEqual(listed.body.data.map((c: { name: string }) => c.name).sort(), ['duck-a contact 0', 'duck-a contact 1', 'duck-a contact 2']);
  const probe = await h.sql(`select to_regclass('public.duckdb_write_probe') as t`);
  t.is(probe[0]?.t, null);
});

test('a password with quotes, backslashes and spaces survives the URL → conninfo conversion', async (t) => {
  // A real role with a hostile password: if escaping were wrong, the attachment would fail to
  // authenticate or libpq would read part of the password as another key.
  const role = `duck_reader_${randomBytes(4).toString('hex')}`;
  const password = `p'a\\ss w=rd host='x' ${randomBytes(4).toString('hex')}`;
  const conn = h.deps.orm.em.fork().getConnection();
  await conn.execute(`create role ${role} login password '${password.replace(/'/g, "''")}'`);
  await conn.execute(`grant select on contacts to ${role}`);
  t.teardown(async () => {
    await conn.execute(`revoke select on contacts from ${role}`);
    await conn.execute(`drop role ${role}`);
  });
  const ws = await h.workspace();
  await createContacts(ws.client, 1, 'duck-role');

  const url = new URL(databaseUrl());
  url.username = role;
  url.password = encodeURIComponent(password);
  const duck = await createDuckDb(h.config);
  t.teardown(() => duck.close());
  await duck.attachPostgres(url.toString(), 'pg_reader');
  const [row] = await duck.query<{ n: bigint }>('select count(*) as n from pg_reader.public.contacts where workspace_id = $1', [ws.id]);
  t.is(row?.n, 1n);
});

test('a failed attachment does not echo the password', async (t) => {
  const duck = await createDuckDb(h.config);
  t.teardown(() => duck.close());
  const url = new URL(databaseUrl());
  url.password = 'not-the-password-4711';
  url.searchParams.set('connect_timeout', '5');
  const err = await t.throwsAsync(duck.attachPostgres(url.toString(), 'pg_bad'));
  t.regex(err?.message ?? '', /password authentication failed/i);
  t.false(err!.message.includes('not-the-password-4711'));
});

test('postgresUrlToConnInfo quotes every value and rejects what it cannot express', (t) => {
  t.is(postgresUrlToConnInfo('postgresql://u%40x:p%27w%5C@db.internal:5433/slab5?sslmode=require&application_name=bi%20job'),
    `host='db.internal' port='5433' dbname='slab5' user='u@x' password='p\\'w\\\\' sslmode='require' application_name='bi job'`);
  t.is(postgresUrlToConnInfo('postgres://[::1]:5432/app'), `host='::1' port='5432' dbname='app'`);
  t.throws(() => postgresUrlToConnInfo('mysql://u:p@h/db'), { message: /postgres/ });
  t.throws(() => postgresUrlToConnInfo('not a url'), { message: /not a valid URL/ });
  t.throws(() => postgresUrlToConnInfo('postgres://h/db?x%20y=1'), { message: /unsupported/ });
});

test('a sealed DuckDB still reads its attachment but no files, new attachments or settings', async (t) => {
  const ws = await h.workspace();
  await createContacts(ws.client, 2, 'duck-seal');
  const duck = await createDuckDb(h.config);
  t.teardown(() => duck.close());
  await duck.attachPostgres(databaseUrl(), 'pg');
  // Before sealing, local files are readable: what the seal exists to prevent.
  const [before] = await duck.query<{ n: bigint }>(`select count(*) as n from read_text('package.json')`);
  t.is(before?.n, 1n);
  await duck.seal();

  const [row] = await duck.query<{ n: bigint }>('select count(*) as n from pg.public.contacts where workspace_id = $1', [ws.id]);
  t.is(row?.n, 2n);
  await t.throwsAsync(duck.query(`select * from read_text('package.json')`), { message: /disabled by configuration/ });
  await t.throwsAsync(duck.attachPostgres(databaseUrl(), 'pg_again'), { message: /disabled/ });
  await t.throwsAsync(duck.query('SET enable_external_access = true'), { message: /lock|configuration/i });
});

test('aliases are identifiers, never SQL', async (t) => {
  const duck = await createDuckDb(h.config);
  t.teardown(() => duck.close());
  await t.throwsAsync(duck.attachPostgres(databaseUrl(), 'pg" (TYPE postgres); --'), { message: /invalid DuckDB alias/ });
});
