// The snapshot engine: one build for many concurrent requests, refresh on writes (outbox) and on
// the TTL, a refresh that never blocks or breaks queries already reading the previous snapshot,
// the workspace filter pushed down to PostgreSQL, and the types of results.
import test from 'ava';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { biEngine } from '../../modules/bi/engine.ts';
import { openTrustedBuilder } from '../../modules/bi/engine/trusted.ts';
import { declaredSources } from '../../modules/bi/engine/catalog.ts';
import { dealsWorkspace, expectOk, sqlQuery } from './helpers.ts';

let h: Harness;
let fresh: Harness;
test.before(async () => {
  h = await bootHarness();
  // A TTL of 0: every query finds its snapshot too old and rebuilds it.
  fresh = await bootHarness({ BI_SNAPSHOT_TTL_MS: '0' });
});
test.after.always(async () => { await h?.close(); await fresh?.close(); });

const engine = () => biEngine(h.deps);
const snapshotFiles = (workspaceId: string, table: string) => readdirSync(h.config.biSnapshotDir)
  .filter((d) => d.startsWith(`p${process.pid}-`))
  .flatMap((d) => { try { return readdirSync(join(h.config.biSnapshotDir, d, workspaceId)); } catch { return []; } })
  .filter((f) => f.startsWith(`${table}-`) && f.endsWith('.duckdb'));

test.serial('20 requests at once on a cold workspace build its snapshot once', async (t) => {
  const ws = await dealsWorkspace(h, 4);
  await engine().catalog();
  const before = await engine().stats();
  const results = await Promise.all(Array.from({ length: 20 }, () => sqlQuery(ws.client, 'select count(*) as n from deals')));
  for (const res of results) {
    t.is(res.status, 200, JSON.stringify(res.body));
    t.deepEqual(res.body.data.rows, [[4]]);
  }
  const after = await engine().stats();
  t.is(after.builds - before.builds, 1);
  t.is(after.rowsCopied - before.rowsCopied, 4);
  t.is(new Set(results.map((r) => r.body.data.snapshot_at)).size, 1, 'every answer comes from the one snapshot');
  t.is(snapshotFiles(ws.id, 'deals').length, 1);
});

test.serial('a cached snapshot answers until a write shows in the outbox; then it is rebuilt and reports its new time', async (t) => {
  const ws = await dealsWorkspace(h, 2);
  const first = await expectOk(t, sqlQuery(ws.client, 'select count(*) as n from deals'));
  const again = await expectOk(t, sqlQuery(ws.client, 'select count(*) as n from deals'));
  t.is(again.snapshot_at, first.snapshot_at, 'no write, no rebuild');
  const builds = (await engine().stats()).builds;
  // A write through the API records its event with the row.
  const before = Date.now();
  await expectOk(t, ws.client.post('/deals', { name: 'Late deal', amount_cents: 5, currency: 'USD', stage: 'discovery' }), 201);
  const after = await expectOk(t, sqlQuery(ws.client, 'select count(*) as n from deals'));
  t.deepEqual(after.rows, [[3]]);
  t.true(Date.parse(after.snapshot_at) >= before, `${after.snapshot_at} is after the write`);
  t.is((await engine().stats()).builds, builds + 1);
  // Writes to tables the snapshot does not hold (BI's own objects) change nothing.
  await expectOk(t, ws.client.post('/bi/dashboards', { name: 'Not data' }), 201);
  t.is((await expectOk(t, sqlQuery(ws.client, 'select count(*) as n from deals'))).snapshot_at, after.snapshot_at);
});

test.serial('a write that records no event shows once the TTL has passed', async (t) => {
  const ws = await dealsWorkspace(h, 1);
  const other = await fresh.workspace();
  // The same workspace seen through two engines: TTL 10 minutes, and TTL 0.
  const viaFresh = (await import('../helpers/client.ts')).apiClient(fresh.url, ws.token, fresh.built.contract);
  t.deepEqual((await expectOk(t, sqlQuery(ws.client, 'select name from deals'))).rows, [['Deal 0']]);
  t.deepEqual((await expectOk(t, sqlQuery(viaFresh, 'select name from deals'))).rows, [['Deal 0']]);
  await h.sql(`update deals set name = 'Renamed without an event' where workspace_id = ?`, [ws.id]);
  t.deepEqual((await expectOk(t, sqlQuery(ws.client, 'select name from deals'))).rows, [['Deal 0']], 'within the TTL: the cached snapshot');
  t.deepEqual((await expectOk(t, sqlQuery(viaFresh, 'select name from deals'))).rows, [['Renamed without an event']], 'past the TTL: rebuilt');
  t.truthy(other.id);
});

test.serial('a refresh never blocks nor breaks a query still reading the previous snapshot', async (t) => {
  const ws = await dealsWorkspace(h, 3);
  await expectOk(t, sqlQuery(ws.client, 'select count(*) as n from deals'));
  // A query that streams: it holds the current snapshot until we let its first batch go.
  let unblock!: () => void;
  const gate = new Promise<void>((r) => { unblock = r; });
  let batches = 0;
  let streamed = 0;
  const reading = engine().run(ws.id, new Map([['deals', new Set(['id'])]]), 'select d.id from deals d, range(3000) r', [], {
    maxRows: 1_000_000, field: 'sql',
    onRows: async (rows) => { batches++; streamed += rows.length; if (batches === 1) await gate; },
  });
  while (batches === 0) await new Promise((r) => setTimeout(r, 20));

  await expectOk(t, ws.client.post('/deals', { name: 'During the read', amount_cents: 1, currency: 'USD', stage: 'discovery' }), 201);
  const t0 = Date.now();
  const fresher = await expectOk(t, sqlQuery(ws.client, 'select count(*) as n from deals'));
  t.deepEqual(fresher.rows, [[4]], 'the new snapshot holds the write');
  t.true(Date.now() - t0 < 20_000);
  t.is(snapshotFiles(ws.id, 'deals').length, 2, 'the previous file stays while it is read');

  unblock();
  const old = await reading;
  t.is(streamed, 3 * 3000, 'the earlier query read the previous snapshot to its end');
  t.deepEqual(old.rows, []);
  t.is(snapshotFiles(ws.id, 'deals').length, 1, 'and its file went once it finished');
});

test.serial('a snapshot holds the columns queries read (from DuckDB\'s plan), and gains more when a query reads more', async (t) => {
  const ws = await dealsWorkspace(h, 3);
  const builds = async () => (await engine().stats()).builds;
  const start = await builds();
  t.deepEqual((await expectOk(t, sqlQuery(ws.client, 'select max(stage) as s from deals'))).rows, [['qualified']]);
  t.is(await builds(), start + 1);
  // A column no query has read yet is copied before it is read: never a NULL stand-in.
  t.deepEqual((await expectOk(t, sqlQuery(ws.client, 'select name from deals order by name'))).rows, [['Deal 0'], ['Deal 1'], ['Deal 2']]);
  t.is(await builds(), start + 2);
  // A column used only in a filter counts as read.
  t.deepEqual((await expectOk(t, sqlQuery(ws.client, `select count(*) as n from deals where currency = 'USD' and amount_cents > 1500`))).rows, [[2]]);
  t.is(await builds(), start + 3);
  // Columns named but not used, and counts, need nothing new.
  t.deepEqual((await expectOk(t, sqlQuery(ws.client, 'select count(*) as n from (select notes, custom_fields, stage from deals) x'))).rows, [[3]]);
  t.deepEqual((await expectOk(t, sqlQuery(ws.client, 'select stage, name from deals order by name limit 1'))).rows, [['discovery', 'Deal 0']]);
  t.is(await builds(), start + 3);
  // And everything at once.
  const all = await expectOk(t, sqlQuery(ws.client, 'select * from deals order by name'));
  t.is(all.rows.length, 3);
  t.is(await builds(), start + 4);
  t.is(all.rows[0][all.columns.findIndex((c: { name: string }) => c.name === 'amount_cents')], 1000);
});

test('the workspace filter reaches PostgreSQL: the copy reads only that workspace\'s rows', async (t) => {
  const ws = await dealsWorkspace(h, 2);
  const builder = await openTrustedBuilder(h.config, h.deps.orm, join(tmpdir(), `slab5-build-spill-${process.pid}`));
  t.teardown(() => builder.close());
  const [deals] = await declaredSources(h.deps.orm, h.deps.biTables.filter((x) => x.table === 'deals'));
  // A workspace with much of the table: the extension's scan carries the filter into PostgreSQL.
  const scan = await builder.explainCopy(deals!, ws.id, 'scan');
  t.regex(scan, /POSTGRES_SCAN/);
  t.regex(scan, /Filters:[\s│]*workspace_id\s*=/);
  t.notRegex(scan, /\bFILTER\b/, 'no filter is left for DuckDB to apply after reading');
  // A small one: PostgreSQL answers the filtered query from its index.
  const index = await builder.explainCopy(deals!, ws.id, 'index');
  t.regex(index, /POSTGRES_QUERY/);
  t.true(index.includes(`WHERE workspace_id = '${ws.id}'`), index);
  t.notRegex(index, /\bFILTER\b/);
});

test('result values: integers beyond 2^53 and decimals as strings, ISO dates and timestamps, JSON values, nulls', async (t) => {
  const ws = await dealsWorkspace(h, 1);
  const res = await expectOk(t, sqlQuery(ws.client, `select
      9007199254740993::BIGINT as big, 42::BIGINT as small, (2::HUGEINT ^ 70)::HUGEINT as huge, 12.34::DECIMAL(10,2) as dec, 1.5::DOUBLE as dbl,
      DATE '2025-01-02' as d, TIMESTAMPTZ '2025-01-02 03:04:05.678+00' as ts, TIMESTAMP '2025-01-02 03:04:05' as naive,
      true as flag, 'text' as s, {'a': 1, 'b': [1, 2]} as st, [1, 2, 3] as l, '{"k": [1, "x"]}'::JSON as j, NULL::VARCHAR as nothing,
      custom_fields from deals`));
  const byName = Object.fromEntries(res.columns.map((c: { name: string; type: string }, i: number) => [c.name, { type: c.type, value: res.rows[0][i] }]));
  t.deepEqual(byName.big, { type: 'integer', value: '9007199254740993' });
  t.deepEqual(byName.small, { type: 'integer', value: 42 });
  t.deepEqual(byName.huge, { type: 'integer', value: '1180591620717411303424' });
  t.deepEqual(byName.dec, { type: 'number', value: '12.34' });
  t.deepEqual(byName.dbl, { type: 'number', value: 1.5 });
  t.deepEqual(byName.d, { type: 'date', value: '2025-01-02' });
  t.deepEqual(byName.ts, { type: 'timestamp', value: '2025-01-02T03:04:05.678Z' });
  t.deepEqual(byName.naive, { type: 'timestamp', value: '2025-01-02T03:04:05.000Z' });
  t.deepEqual(byName.flag, { type: 'boolean', value: true });
  t.deepEqual(byName.s, { type: 'string', value: 'text' });
  t.deepEqual(byName.st, { type: 'json', value: { a: 1, b: [1, 2] } });
  t.deepEqual(byName.l, { type: 'json', value: [1, 2, 3] });
  t.deepEqual(byName.j, { type: 'json', value: { k: [1, 'x'] } });
  t.deepEqual(byName.nothing, { type: 'string', value: null });
  t.deepEqual(byName.custom_fields, { type: 'json', value: {} }, 'a jsonb column arrives as JSON');
});

test('rows stop at row_limit and truncated says whether more existed', async (t) => {
  const ws = await dealsWorkspace(h, 1);
  const cut = await expectOk(t, sqlQuery(ws.client, 'select range as n from range(5000)', { row_limit: 100 }));
  t.is(cut.row_count, 100);
  t.is(cut.rows.length, 100);
  t.true(cut.truncated);
  t.deepEqual(cut.rows.slice(0, 3), [[0], [1], [2]]);
  const exact = await expectOk(t, sqlQuery(ws.client, 'select range as n from range(100)', { row_limit: 100 }));
  t.is(exact.row_count, 100);
  t.false(exact.truncated);
  const defaulted = await expectOk(t, sqlQuery(ws.client, 'select range as n from range(5000)'));
  t.is(defaulted.row_count, 1000);
  t.true(defaulted.truncated);
});
