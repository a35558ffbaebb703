// Datasets of every kind, planned by DuckDB against the catalog; their lists, updates
// (metadata and definition) and archiving.
import test from 'ava';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { dealsWorkspace, expectError, expectOk, fields, tableDataset } from './helpers.ts';

let h: Harness;
test.before(async () => { h = await bootHarness(); });
test.after.always(async () => { await h?.close(); });

const columnTypes = (ds: { columns: { name: string; type: string }[] }) => Object.fromEntries(ds.columns.map((c) => [c.name, c.type]));

test('a table dataset takes its columns and types from the catalog, labels from the request, and records bi_dataset.created', async (t) => {
  const ws = await dealsWorkspace(h, 1);
  const ds = await expectOk(t, ws.client.post('/bi/datasets', {
    name: 'Deals', description: 'All deals', kind: 'table', source_table: 'deals',
    columns: [{ name: 'amount_cents', label: 'Amount', description: 'In cents' }, { name: 'stage', label: 'Stage' }],
  }), 201);
  t.regex(ds.id, /^ds_[0-9a-z]{26}$/);
  t.like(ds, { name: 'Deals', description: 'All deals', kind: 'table', status: 'active', source_table: 'deals', sql: null, mock_rows: null, archived_at: null });
  t.like(columnTypes(ds), { id: 'string', stage: 'string', amount_cents: 'integer', expected_close_date: 'date', created_at: 'timestamp', custom_fields: 'json' });
  t.false(ds.columns.some((c: { name: string }) => c.name === 'workspace_id'));
  t.deepEqual(ds.columns.find((c: { name: string }) => c.name === 'amount_cents'), { name: 'amount_cents', type: 'integer', label: 'Amount', description: 'In cents' });
  t.deepEqual(ds.columns.find((c: { name: string }) => c.name === 'name'), { name: 'name', type: 'string', label: null, description: null });
  const events = await h.events(ws.id, { type: 'bi_dataset.created' });
  t.is(events.length, 1);
  t.deepEqual(events[0]!.payload, ds);
});

test('createBiDataset is idempotent with an Idempotency-Key', async (t) => {
  const ws = await dealsWorkspace(h, 0);
  const body = { name: 'Once', kind: 'table', source_table: 'contacts' };
  const first = await ws.client.post('/bi/datasets', body, { headers: { 'Idempotency-Key': 'ds-once' } });
  const again = await ws.client.post('/bi/datasets', body, { headers: { 'Idempotency-Key': 'ds-once' } });
  t.is(first.status, 201);
  t.is(again.status, 201);
  t.is(again.headers.get('idempotent-replayed'), 'true');
  t.is(again.body.data.id, first.body.data.id);
  t.is((await expectOk(t, ws.client.get('/bi/datasets'))).length, 1);
});

test('a source table must be in the catalog; annotated columns must exist with their type', async (t) => {
  const ws = await dealsWorkspace(h, 0);
  for (const table of ['api_tokens', 'idempotency_keys', 'outbox_events', 'workspaces', 'nope']) {
    const error = await expectError(t, ws.client.post('/bi/datasets', { name: 'X', kind: 'table', source_table: table }), 422, 'validation_failed');
    t.deepEqual(fields(error), ['source_table'], table);
  }
  const unknown = await expectError(t, ws.client.post('/bi/datasets', { name: 'X', kind: 'table', source_table: 'deals', columns: [{ name: 'stage' }, { name: 'search_text' }] }), 422, 'validation_failed');
  t.deepEqual(fields(unknown), ['columns.1.name']);
  const retyped = await expectError(t, ws.client.post('/bi/datasets', { name: 'X', kind: 'table', source_table: 'deals', columns: [{ name: 'stage', type: 'integer' }] }), 422, 'validation_failed');
  t.deepEqual(fields(retyped), ['columns.0.type']);
  const twice = await expectError(t, ws.client.post('/bi/datasets', { name: 'X', kind: 'table', source_table: 'deals', columns: [{ name: 'stage' }, { name: 'stage' }] }), 422, 'validation_failed');
  t.deepEqual(fields(twice), ['columns.1.name']);
  // The contract's kind rules: a table takes no sql.
  await expectError(t, ws.client.post('/bi/datasets', { name: 'X', kind: 'table', source_table: 'deals', sql: 'select 1' }), 422, 'validation_failed');
});

test('a view dataset\'s columns are what DuckDB plans for its SELECT', async (t) => {
  const ws = await dealsWorkspace(h, 2);
  const ds = await expectOk(t, ws.client.post('/bi/datasets', {
    name: 'Open pipeline', kind: 'view',
    sql: `select d.stage, s.position, d.amount_cents as amount, d.created_at::date as day from deals d join deal_stages s on s.id = d.stage_id where d.status = 'open'`,
    columns: [{ name: 'amount', label: 'Amount' }],
  }), 201);
  t.deepEqual(ds.columns, [
    { name: 'stage', type: 'string', label: null, description: null },
    { name: 'position', type: 'integer', label: null, description: null },
    { name: 'amount', type: 'integer', label: 'Amount', description: null },
    { name: 'day', type: 'date', label: null, description: null },
  ]);
  t.is(ds.source_table, null);
});

test('bad SQL answers 422 on sql with DuckDB\'s message and its position', async (t) => {
  const ws = await dealsWorkspace(h, 0);
  const cases: Array<[string, RegExp, { line: number; column: number } | null]> = [
    ['selec stage from deals', /syntax error at or near "selec"/, { line: 1, column: 1 }],
    ['select stage\nfrom nope', /Table with name nope does not exist/, { line: 2, column: 6 }],
    ['select stage, nocolumn from deals', /nocolumn/, { line: 1, column: 15 }],
    ['select count(*) from deals', /alias/, null],
    ['select d.id, s.id from deals d join deal_stages s on s.id = d.stage_id', /two output columns are named "id"/, null],
    ['update deals set name = 1', /type UPDATE/, null],
  ];
  for (const [sql, message, where] of cases) {
    const res = await ws.client.post('/bi/datasets', { name: 'Bad', kind: 'view', sql });
    t.is(res.status, 422, sql);
    t.deepEqual(res.contractErrors, []);
    const error = res.body.error;
    const text = `${error.message} ${JSON.stringify(error.details)}`;
    t.regex(text, message, sql);
    t.true(text.includes('sql'), sql);
    if (where) t.like(error.details, where, sql);
  }
});

test('a semantic dataset is the curated columns of a table or of a SELECT, in their order', async (t) => {
  const ws = await dealsWorkspace(h, 1);
  const overTable = await expectOk(t, ws.client.post('/bi/datasets', {
    name: 'Deals (curated)', kind: 'semantic', source_table: 'deals',
    columns: [{ name: 'amount_cents', label: 'Amount' }, { name: 'stage', label: 'Stage', description: 'Pipeline stage' }],
  }), 201);
  t.deepEqual(overTable.columns, [
    { name: 'amount_cents', type: 'integer', label: 'Amount', description: null },
    { name: 'stage', type: 'string', label: 'Stage', description: 'Pipeline stage' },
  ]);
  const overSql = await expectOk(t, ws.client.post('/bi/datasets', {
    name: 'Stages', kind: 'semantic', sql: 'select key, name, outcome from deal_stages', columns: [{ name: 'name' }, { name: 'key', type: 'string' }],
  }), 201);
  t.deepEqual(overSql.columns.map((c: { name: string }) => c.name), ['name', 'key']);
  const both = await ws.client.post('/bi/datasets', { name: 'X', kind: 'semantic', source_table: 'deals', sql: 'select 1 as one', columns: [{ name: 'one' }] });
  t.is(both.status, 422);
  const missing = await expectError(t, ws.client.post('/bi/datasets', { name: 'X', kind: 'semantic', source_table: 'deals', columns: [{ name: 'nope' }] }), 422, 'validation_failed');
  t.deepEqual(fields(missing), ['columns.0.name']);
});

test('a mock dataset\'s rows must fit its typed columns, and it answers queries from those rows', async (t) => {
  const ws = await dealsWorkspace(h, 0);
  const columns = [{ name: 'region', type: 'string' }, { name: 'revenue', type: 'integer' }, { name: 'day', type: 'date' }, { name: 'meta', type: 'json' }];
  const ds = await expectOk(t, ws.client.post('/bi/datasets', {
    name: 'Mock sales', kind: 'mock', columns,
    mock_rows: [['EU', 100, '2025-01-01', { a: 1 }], ['EU', 250, '2025-01-15', null], ['US', 300, '2025-02-03', [1, 2]], [null, null, null, 'text']],
  }), 201);
  t.is(ds.mock_rows.length, 4);
  t.is(ds.columns[1].type, 'integer');

  const bad = await expectError(t, ws.client.post('/bi/datasets', {
    name: 'Bad mock', kind: 'mock', columns, mock_rows: [['EU', 1.5, '2025-01-01', null], ['EU', 1], ['EU', 1, '2025-02-30', null], [1, 1, '2025-01-01', null]],
  }), 422, 'validation_failed');
  t.deepEqual(fields(bad).sort(), ['mock_rows.0.1', 'mock_rows.1', 'mock_rows.2.2', 'mock_rows.3.0']);
  await expectError(t, ws.client.post('/bi/datasets', { name: 'No types', kind: 'mock', columns: [{ name: 'a' }], mock_rows: [] }), 422, 'validation_failed');

  const metric = await expectOk(t, ws.client.post('/bi/metrics', { name: 'Revenue', dataset_id: ds.id, aggregation: 'sum', column: 'revenue' }), 201);
  const grouped = await expectOk(t, ws.client.post('/bi/queries/run', { dataset_id: ds.id, dimensions: ['region'], metric_ids: [metric.id], sort: [{ column: 'region' }] }));
  t.deepEqual(grouped.rows, [['EU', 350], ['US', 300], [null, null]]);
  t.is(grouped.snapshot_at, null);
  const monthly = await expectOk(t, ws.client.post('/bi/queries/run', { dataset_id: ds.id, time_dimension: { column: 'day', grain: 'month' }, metric_ids: [metric.id] }));
  t.deepEqual(monthly.rows, [['2025-01-01', 350], ['2025-02-01', 300], [null, null]]);
  t.deepEqual(monthly.columns.map((c: { name: string; type: string }) => [c.name, c.type]), [['day_month', 'date'], [metric.id, 'integer']]);
  const preview = await expectOk(t, ws.client.post('/bi/queries/run', { dataset_id: ds.id, filters: [{ column: 'region', operator: 'eq', value: 'US' }] }));
  t.deepEqual(preview.rows, [['US', 300, '2025-02-03', [1, 2]]]);
});

test('lists: newest first, filtered by kind, status and text, archived hidden unless asked, paged', async (t) => {
  const ws = await dealsWorkspace(h, 0);
  const a = await tableDataset(t, ws.client, 'deals', { name: 'Alpha deals' });
  const b = await tableDataset(t, ws.client, 'contacts', { name: 'Beta people', description: 'Everyone we know' });
  const c = await expectOk(t, ws.client.post('/bi/datasets', { name: 'Gamma view', kind: 'view', sql: 'select id from tasks' }), 201);
  t.deepEqual((await expectOk(t, ws.client.get('/bi/datasets'))).map((d: { id: string }) => d.id), [c.id, b.id, a.id]);
  t.deepEqual((await expectOk(t, ws.client.get('/bi/datasets?kind=view'))).map((d: { id: string }) => d.id), [c.id]);
  t.deepEqual((await expectOk(t, ws.client.get('/bi/datasets?query=KNOW'))).map((d: { id: string }) => d.id), [b.id]);
  t.deepEqual((await expectOk(t, ws.client.get('/bi/datasets?query=%25'))).map((d: { id: string }) => d.id), [], 'LIKE wildcards match literally');
  await expectOk(t, ws.client.call('DELETE', `/bi/datasets/${a.id}`));
  t.deepEqual((await expectOk(t, ws.client.get('/bi/datasets'))).map((d: { id: string }) => d.id), [c.id, b.id]);
  t.deepEqual((await expectOk(t, ws.client.get('/bi/datasets?status=archived'))).map((d: { id: string }) => d.id), [a.id]);
  const page1 = await ws.client.get('/bi/datasets?limit=1');
  t.is(page1.body.data.length, 1);
  const page2 = await ws.client.get(`/bi/datasets?limit=1&cursor=${encodeURIComponent(page1.body.next_cursor)}`);
  t.deepEqual(page2.body.data.map((d: { id: string }) => d.id), [b.id]);
  await expectError(t, ws.client.get('/bi/datasets?cursor=forged'), 422, 'invalid_cursor');
});

test('updateBiObject renames, redefines a view (planned again) and refuses a definition that breaks an active metric', async (t) => {
  const ws = await dealsWorkspace(h, 2);
  const ds = await expectOk(t, ws.client.post('/bi/datasets', { name: 'View', kind: 'view', sql: 'select stage, amount_cents from deals' }), 201);
  const renamed = await expectOk(t, ws.client.patch(`/bi/datasets/${ds.id}`, { name: 'Pipeline view', description: 'Stages and amounts' }));
  t.like(renamed, { name: 'Pipeline view', description: 'Stages and amounts' });
  t.true(renamed.updated_at > ds.updated_at);

  const badSql = await expectError(t, ws.client.patch(`/bi/datasets/${ds.id}`, { sql: 'select stage, amount from deals' }), 422, 'rule_violation');
  t.is(badSql.details.field, 'sql');
  const metric = await expectOk(t, ws.client.post('/bi/metrics', { name: 'Total', dataset_id: ds.id, aggregation: 'sum', column: 'amount_cents' }), 201);
  const breaking = await expectError(t, ws.client.patch(`/bi/datasets/${ds.id}`, { sql: 'select stage from deals' }), 422, 'rule_violation');
  t.is(breaking.details.field, 'sql');
  t.true(breaking.details.dependents.some((d: string) => d.includes(metric.id)));
  const retyping = await expectError(t, ws.client.patch(`/bi/datasets/${ds.id}`, { sql: 'select stage, stage as amount_cents from deals' }), 422, 'rule_violation');
  t.regex(retyping.message, /no longer fits/);

  const widened = await expectOk(t, ws.client.patch(`/bi/datasets/${ds.id}`, { sql: 'select stage, amount_cents, currency from deals' }));
  t.deepEqual(widened.columns.map((c: { name: string }) => c.name), ['stage', 'amount_cents', 'currency']);
  await expectOk(t, ws.client.call('DELETE', `/bi/metrics/${metric.id}`));
  const narrowed = await expectOk(t, ws.client.patch(`/bi/datasets/${ds.id}`, { sql: 'select stage from deals' }));
  t.deepEqual(narrowed.columns.map((c: { name: string }) => c.name), ['stage']);
  t.deepEqual((await h.events(ws.id, { resourceId: ds.id })).map((e) => e.type), ['bi_dataset.created', 'bi_dataset.updated', 'bi_dataset.updated', 'bi_dataset.updated']);
});

test('updateBiObject refuses fields of other collections and a status a dataset cannot take', async (t) => {
  const ws = await dealsWorkspace(h, 0);
  const ds = await tableDataset(t, ws.client);
  const cases: Array<[Record<string, unknown>, string[]]> = [
    [{ cron: '0 8 * * 1' }, ['cron']],
    [{ recipients: ['a@example.com'], subject: 'S' }, ['recipients', 'subject']],
    [{ status: 'paused' }, ['status']],
    [{ cards: [] }, ['cards']],
    [{ sql: 'select 1 as one' }, ['sql']],
    [{ mock_rows: [] }, ['mock_rows']],
  ];
  for (const [body, named] of cases) {
    const error = await expectError(t, ws.client.patch(`/bi/datasets/${ds.id}`, body), 422, 'validation_failed');
    t.deepEqual(fields(error).sort(), named.sort(), JSON.stringify(body));
  }
  await expectError(t, ws.client.patch('/bi/unicorns/x', { name: 'X' }), 422, 'validation_failed');
  await expectError(t, ws.client.patch('/bi/datasets/ds_missing', { name: 'X' }), 404, 'not_found');
  await expectError(t, ws.client.patch('/bi/scheduled-artifacts/sched_missing', { name: 'X' }), 404, 'not_found');
});

test('archiving answers the archived object, again unchanged; draft or active restores it', async (t) => {
  const ws = await dealsWorkspace(h, 0);
  const ds = await tableDataset(t, ws.client);
  const archived = await expectOk(t, ws.client.call('DELETE', `/bi/datasets/${ds.id}`));
  t.is(archived.status, 'archived');
  t.truthy(archived.archived_at);
  const again = await expectOk(t, ws.client.call('DELETE', `/bi/datasets/${ds.id}`));
  t.deepEqual(again, archived);
  await expectError(t, ws.client.post('/bi/queries/run', { dataset_id: ds.id }), 409, 'resource_archived');
  const restored = await expectOk(t, ws.client.patch(`/bi/datasets/${ds.id}`, { status: 'draft' }));
  t.like(restored, { status: 'draft', archived_at: null });
  await expectOk(t, ws.client.post('/bi/queries/run', { dataset_id: ds.id }));
  t.deepEqual((await h.events(ws.id, { resourceId: ds.id })).map((e) => e.type), ['bi_dataset.created', 'bi_dataset.archived', 'bi_dataset.updated']);
});
