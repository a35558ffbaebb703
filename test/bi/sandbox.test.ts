// The sandbox under attack, through runBiQuery and through a dataset's SQL: file readers and
// globs, ATTACH, the postgres extension's functions with a real connection string, INSTALL and
// LOAD, COPY TO, SET / PRAGMA / RESET, CREATE SECRET, EXPORT, several statements, another
// workspace's ids and runaway queries. Each is refused or stopped, nothing escapes (no file
// written, no other workspace's row read, PostgreSQL unchanged), and the API keeps answering.
import test from 'ava';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openMockSandbox, runStatement } from '../../modules/bi/engine/sandbox.ts';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { postgresUrlToConnInfo } from '../../platform/duckdb.ts';
import { dealsWorkspace, expectError, expectOk, sqlQuery, type Workspace } from './helpers.ts';

const TIMEOUT_MS = 3000;
let h: Harness;
let a: Workspace & { dealIds: string[] };
let b: Workspace & { dealIds: string[] };
test.before(async () => {
  h = await bootHarness({ BI_QUERY_TIMEOUT_MS: String(TIMEOUT_MS) });
  [a, b] = [await dealsWorkspace(h, 3), await dealsWorkspace(h, 4)];
});
test.after.always(async () => { await h?.close(); });

// As a SQL string literal's content (quotes doubled), so the statement parses and is judged.
const conninfo = () => postgresUrlToConnInfo(h.config.databaseUrl).replace(/'/g, "''");
const extensionFile = () => join(h.config.duckdbExtensionDir, 'v1.5.5/linux_amd64/postgres_scanner.duckdb_extension');
const probe = (name: string) => join(h.config.biSnapshotDir, `..`, `escaped-${name}`);

/** Statements and what the refusal must say (statement type or DuckDB's reason). */
const attacks = (): Array<[string, RegExp]> => [
  [`select * from read_text('/etc/passwd')`, /file system operations are disabled/],
  [`select * from read_csv('/etc/passwd')`, /file system operations are disabled/],
  [`select * from read_parquet('${probe('x.parquet')}')`, /file system operations are disabled/],
  [`select * from read_blob('package.json')`, /file system operations are disabled/],
  [`select * from glob('/etc/*')`, /file system operations are disabled/],
  [`select * from glob('**/*.duckdb')`, /file system operations are disabled/],
  [`select * from 'package.json'`, /file system operations are disabled/],
  [`select * from read_json_auto('https://example.com/x.json')`, /disabled|not.*(found|exist)/i],
  [`attach '${probe('attached.duckdb')}' as x`, /type ATTACH/],
  [`attach '${conninfo()}' as pg (type postgres, read_only)`, /type ATTACH/],
  [`detach main`, /type DETACH/],
  [`select * from postgres_scan('${conninfo()}', 'public', 'contacts')`, /postgres_scan/],
  [`select * from postgres_query('${conninfo()}', 'select * from api_tokens')`, /postgres_query/],
  [`select * from postgres_attach('${conninfo()}')`, /postgres_attach/],
  ['install postgres', /type LOAD/],
  ['load postgres', /type LOAD/],
  [`load '${extensionFile()}'`, /type LOAD/],
  [`install httpfs from 'http://127.0.0.1:9/'`, /type LOAD/],
  [`copy (select 1) to '${probe('copy.csv')}'`, /file system operations are disabled/],
  [`copy deals to '${probe('deals.parquet')}' (format parquet)`, /file system operations are disabled/],
  [`export database '${probe('export')}'`, /file system operations are disabled/],
  ['set enable_external_access = true', /type SET/],
  ['set threads = 64', /type SET/],
  ['reset memory_limit', /type SET/],
  [`pragma enable_profiling`, /type (SET|PRAGMA)/],
  ['pragma threads = 64', /type SET/],
  [`create secret s (type s3, key_id 'k', secret 's')`, /disabled|type CREATE|does not exist/],
  [`create persistent secret p (type s3, key_id 'k', secret 's')`, /disabled|type CREATE|does not exist/],
  [`create table stolen as select * from deals`, /type CREATE/],
  [`insert into deals (id) values ('x')`, /type INSERT/],
  [`update deals set name = 'x'`, /type UPDATE/],
  [`delete from deals`, /type DELETE/],
  ['checkpoint', /type CALL/],
  ['begin transaction', /type TRANSACTION/],
  ['vacuum', /type VACUUM/],
  ['explain analyze select 1', /type EXPLAIN/],
  ['select 1; select 2', /exactly one SELECT.*found 2/],
  [`select 1; attach '${probe('multi.duckdb')}' as x`, /exactly one SELECT.*found 2/],
  [`select * from query('attach ''${probe('nested.duckdb')}'' as x')`, /single SELECT/],
  ['select * from api_tokens', /api_tokens/],
  ['select * from idempotency_keys', /idempotency_keys/],
  ['select * from workspaces', /workspaces/],
  ['select workspace_id from deals', /workspace_id/],
  ['select search_text from contacts', /search_text/],
];

test('every attack through runBiQuery answers 422 with its reason and leaves nothing behind', async (t) => {
  for (const [sql, reason] of attacks()) {
    const error = await expectError(t, sqlQuery(a.client, sql), 422, 'rule_violation');
    t.is(error.details.field, 'sql', sql);
    t.regex(`${error.message} ${error.details.duckdb_error ?? ''}`, reason, sql);
  }
  for (const name of ['x.parquet', 'attached.duckdb', 'copy.csv', 'deals.parquet', 'export', 'multi.duckdb', 'nested.duckdb']) {
    t.false(existsSync(probe(name)), `${name} was written`);
  }
  // PostgreSQL is as it was: no table, no changed deal.
  t.deepEqual(await h.sql(`select to_regclass('public.stolen') as t`), [{ t: null }]);
  const names = await h.sql<{ name: string }>('select name from deals where workspace_id = ? order by name', [a.id]);
  t.deepEqual(names.map((r) => r.name), ['Deal 0', 'Deal 1', 'Deal 2']);
});

test('every attack as a dataset\'s SQL answers 422 on sql and stores no dataset', async (t) => {
  const ws = await dealsWorkspace(h, 1);
  for (const [sql] of attacks()) {
    const error = await expectError(t, ws.client.post('/bi/datasets', { name: 'Attack', kind: 'view', sql }), 422, 'rule_violation');
    t.is(error.details.field, 'sql', sql);
  }
  const semantic = await expectError(t, ws.client.post('/bi/datasets', { name: 'Attack', kind: 'semantic', sql: 'select * from read_text(\'/etc/passwd\')', columns: [{ name: 'content' }] }), 422, 'rule_violation');
  t.is(semantic.details.field, 'sql');
  t.deepEqual(await expectOk(t, ws.client.get('/bi/datasets?status=archived')), []);
  t.deepEqual(await expectOk(t, ws.client.get('/bi/datasets')), []);
  t.deepEqual((await h.events(ws.id)).filter((e) => e.type.startsWith('bi_')), []);
});

test('the sandbox is what the issue asks: no external access, locked, no extension, limits, UTC', async (t) => {
  const settings = await expectOk(t, sqlQuery(a.client, `select
    current_setting('enable_external_access') as external, current_setting('lock_configuration') as locked,
    current_setting('autoinstall_known_extensions') as autoinstall, current_setting('autoload_known_extensions') as autoload,
    current_setting('allow_community_extensions') as community, current_setting('allow_unsigned_extensions') as unsigned,
    current_setting('threads') as threads, current_setting('memory_limit') as memory, current_setting('TimeZone') as tz,
    current_setting('temp_directory') as temp`));
  const [row] = settings.rows as unknown[][];
  const got = Object.fromEntries(settings.columns.map((c: { name: string }, i: number) => [c.name, row![i]]));
  t.like(got, { external: false, locked: true, autoinstall: false, autoload: false, community: false, unsigned: false, tz: 'UTC', temp: '' });
  t.is(Number(got.threads), h.config.biQueryThreads);
  // DuckDB reports the limit in MiB: 256 MB is 244.1 MiB.
  t.is(got.memory, `${(h.config.biQueryMemoryMb * 1e6 / 2 ** 20).toFixed(1)} MiB`);
  // Not one extension can be listed or loaded: their directory is out of reach.
  await expectError(t, sqlQuery(a.client, 'select * from duckdb_extensions()'), 422, 'rule_violation');
});

test('another workspace\'s ids are simply not there', async (t) => {
  const foreign = b.dealIds[0]!;
  const byId = await expectOk(t, sqlQuery(a.client, `select count(*) as n from deals where id = '${foreign}'`));
  t.deepEqual(byId.rows, [[0]]);
  const all = await expectOk(t, sqlQuery(a.client, 'select id from deals order by id'));
  t.deepEqual(all.rows.map((r: string[]) => r[0]), [...a.dealIds].sort());
  const joined = await expectOk(t, sqlQuery(a.client, `select count(*) as n from deals d join deal_stages s on s.id = d.stage_id`));
  t.deepEqual(joined.rows, [[3]]);
  // Datasets, reports and metrics of another workspace answer 404.
  const ds = await expectOk(t, b.client.post('/bi/datasets', { name: 'B deals', kind: 'table', source_table: 'deals' }), 201);
  await expectError(t, a.client.post('/bi/queries/run', { dataset_id: ds.id }), 404, 'not_found');
  await expectError(t, a.client.post('/bi/metrics', { name: 'M', dataset_id: ds.id, aggregation: 'count' }), 404, 'not_found');
  await expectError(t, a.client.patch(`/bi/datasets/${ds.id}`, { name: 'Mine now' }), 404, 'not_found');
});

// Serial: measured without this file's other tests competing for the two cores.
test.serial('a huge cross join is stopped at the timeout, and the API keeps answering meanwhile', async (t) => {
  await expectOk(t, sqlQuery(b.client, 'select count(*) as n from deals'));
  const started = Date.now();
  // 10^18 pairs, each side small: it computes until stopped rather than running out of memory.
  const pending = sqlQuery(a.client, 'select count(*) from range(1000000) x, range(1000000) y, range(1000000) z');
  for (let i = 0; i < 3; i++) {
    const t0 = Date.now();
    const health = await fetch(`${h.url}/healthz`);
    t.is(health.status, 200);
    await expectOk(t, a.client.get('/bi/datasets'));
    await expectOk(t, b.client.get('/contacts'));
    // Another workspace's queries run beside it.
    await expectOk(t, sqlQuery(b.client, 'select count(*) as n from deals'));
    t.true(Date.now() - t0 < 2000, `the API took ${Date.now() - t0} ms while the query ran`);
    await new Promise((r) => setTimeout(r, 300));
  }
  const error = await expectError(t, pending, 422, 'query_timeout');
  t.is(error.details.timeout_ms, TIMEOUT_MS);
  const elapsed = Date.now() - started;
  t.true(elapsed >= TIMEOUT_MS && elapsed < TIMEOUT_MS * 4, `stopped after ${elapsed} ms`);
  const after = await expectOk(t, sqlQuery(a.client, 'select count(*) as n from deals'));
  t.deepEqual(after.rows, [[3]]);
});

test('an unbounded recursive CTE meets the memory limit or the timeout, whichever comes first', async (t) => {
  const res = await sqlQuery(a.client, 'with recursive r(n) as (select 1 union all select n + 1 from r) select count(*) from r');
  t.is(res.status, 422);
  t.deepEqual(res.contractErrors, []);
  t.true(res.body.error.code === 'query_timeout' || /Out of Memory/.test(res.body.error.details.duckdb_error), JSON.stringify(res.body));
  await expectOk(t, sqlQuery(a.client, 'select 1 as one'));
});

test('a query past the memory limit answers 422, not a crash', async (t) => {
  const error = await expectError(t, sqlQuery(a.client, "select string_agg(repeat('x', 10000), ',') as s from range(1000000)"), 422, 'rule_violation');
  t.regex(error.details.duckdb_error, /Out of Memory/);
  await expectOk(t, sqlQuery(a.client, 'select 1 as one'));
});

test('an export\'s sandbox writes its one output path and nothing else, and cannot widen that', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'slab5-output-sandbox-'));
  const output = join(dir, 'export.csv');
  const limits = { memoryMb: 64, threads: 1, timeoutMs: 5000, noExtensionsDir: join(dir, 'no-extensions') };
  const instance = await openMockSandbox([{ name: 'n', duckType: 'INTEGER' }], [['1'], ['2']], limits, output);
  const run = (sql: string) => runStatement(instance, sql, [], { maxRows: 10, timeoutMs: 5000, field: 'sql' });
  try {
    t.deepEqual((await run(`COPY (SELECT n FROM mock_rows ORDER BY n) TO '${output}' (FORMAT csv, HEADER true)`)).rows, [[2]]);
    t.is(readFileSync(output, 'utf8'), 'n\n1\n2\n');
    for (const [sql, refusal] of [
      [`COPY (SELECT 1) TO '${join(dir, 'other.csv')}' (FORMAT csv)`, /file system operations are disabled/],
      [`COPY (SELECT 1) TO '${output}.tmp' (FORMAT csv)`, /file system operations are disabled/],
      [`SELECT * FROM read_text('/etc/passwd')`, /file system operations are disabled/],
      [`SET allowed_paths = ['/etc/passwd']`, /configuration has been locked/],
      [`SET enable_external_access = true`, /configuration has been locked|Cannot change enable_external_access/],
    ] as const) {
      const err = await t.throwsAsync(run(sql));
      t.regex(String((err as { details?: { duckdb_error?: string } }).details?.duckdb_error ?? err?.message), refusal, sql);
    }
    t.false(existsSync(join(dir, 'other.csv')));
  } finally {
    instance.closeSync();
    rmSync(dir, { recursive: true, force: true });
  }
});
