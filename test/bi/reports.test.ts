// Metrics, reports and dashboards, and the questions runBiQuery answers from them: every value
// bound, every column checked against the dataset, archived references refused.
import test from 'ava';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { dealsWorkspace, expectError, expectOk, fields, tableDataset, type Workspace } from './helpers.ts';

let h: Harness;
test.before(async () => { h = await bootHarness(); });
test.after.always(async () => { await h?.close(); });

// dealsWorkspace(h, 6): amounts 1000..6000 over discovery (1000, 4000), qualified (2000, 5000), proposal (3000, 6000).
async function pipeline(t: Parameters<typeof expectOk>[0], ws: Workspace) {
  const ds = await tableDataset(t, ws.client, 'deals', { columns: [{ name: 'stage', label: 'Stage' }] });
  const total = await expectOk(t, ws.client.post('/bi/metrics', { name: 'Pipeline value', dataset_id: ds.id, aggregation: 'sum', column: 'amount_cents', format: 'currency_cents' }), 201);
  const count = await expectOk(t, ws.client.post('/bi/metrics', { name: 'Deals', dataset_id: ds.id, aggregation: 'count' }), 201);
  return { ds, total, count };
}

test('metrics: created on a dataset\'s columns with an aggregation that fits; bad references answer 404, 409 or 422', async (t) => {
  const ws = await dealsWorkspace(h, 0);
  const { ds, total, count } = await pipeline(t, ws);
  t.like(total, { dataset_id: ds.id, aggregation: 'sum', column: 'amount_cents', format: 'currency_cents', filters: [], time_column: null, status: 'active' });
  t.like(count, { aggregation: 'count', column: null, format: 'number' });
  const filtered = await expectOk(t, ws.client.post('/bi/metrics', {
    name: 'Late-stage value', dataset_id: ds.id, aggregation: 'sum', column: 'amount_cents', time_column: 'created_at',
    filters: [{ column: 'stage', operator: 'in', value: ['proposal', 'qualified'] }],
  }), 201);
  t.deepEqual(filtered.filters, [{ column: 'stage', operator: 'in', value: ['proposal', 'qualified'] }]);

  const cases: Array<[Record<string, unknown>, string[]]> = [
    [{ aggregation: 'sum', column: 'nope' }, ['column']],
    [{ aggregation: 'avg', column: 'stage' }, ['aggregation']],
    [{ aggregation: 'median', column: 'custom_fields' }, ['aggregation']],
    [{ aggregation: 'count', time_column: 'stage' }, ['time_column']],
    [{ aggregation: 'count', filters: [{ column: 'amount_cents', operator: 'eq', value: 'ten' }] }, ['filters.0.value']],
    [{ aggregation: 'count', filters: [{ column: 'stage', operator: 'between', value: ['a'] }] }, ['filters.0.value']],
    [{ aggregation: 'count', filters: [{ column: 'stage', operator: 'is_null', value: 'x' }] }, ['filters.0.value']],
    [{ aggregation: 'count', filters: [{ column: 'amount_cents', operator: 'contains', value: '1' }] }, ['filters.0.operator']],
    [{ aggregation: 'count', filters: [{ column: 'ghost', operator: 'eq', value: 1 }] }, ['filters.0.column']],
  ];
  for (const [body, named] of cases) {
    const error = await expectError(t, ws.client.post('/bi/metrics', { name: 'Bad', dataset_id: ds.id, ...body }), 422, 'validation_failed');
    t.deepEqual(fields(error), named, JSON.stringify(body));
  }
  // The contract itself requires a column for every aggregation but count.
  const noColumn = await expectError(t, ws.client.post('/bi/metrics', { name: 'Bad', dataset_id: ds.id, aggregation: 'sum' }), 422, 'validation_failed');
  t.true(fields(noColumn).includes('column'));
  await expectError(t, ws.client.post('/bi/metrics', { name: 'M', dataset_id: 'ds_missing', aggregation: 'count' }), 404, 'not_found');
  const archived = await tableDataset(t, ws.client, 'contacts');
  await expectOk(t, ws.client.call('DELETE', `/bi/datasets/${archived.id}`));
  const conflict = await expectError(t, ws.client.post('/bi/metrics', { name: 'M', dataset_id: archived.id, aggregation: 'count' }), 409, 'resource_archived');
  t.like(conflict.details, { resource: 'dataset', id: archived.id, field: 'dataset_id' });
  t.deepEqual((await expectOk(t, ws.client.get(`/bi/metrics?dataset_id=${ds.id}`))).map((m: { id: string }) => m.id), [filtered.id, count.id, total.id]);
  t.deepEqual((await expectOk(t, ws.client.get('/bi/metrics?query=late'))).map((m: { id: string }) => m.id), [filtered.id]);
});

test('a report groups by dimensions with its metrics, sorted; runBiQuery answers it from the snapshot with labels', async (t) => {
  const ws = await dealsWorkspace(h, 6);
  const { ds, total, count } = await pipeline(t, ws);
  const report = await expectOk(t, ws.client.post('/bi/reports', {
    name: 'Pipeline by stage', dataset_id: ds.id, visualization: 'bar', dimensions: ['stage'], metric_ids: [total.id, count.id],
    sort: [{ column: total.id, direction: 'desc' }],
  }), 201);
  t.like(report, { visualization: 'bar', dimensions: ['stage'], metric_ids: [total.id, count.id], row_limit: 1000, time_dimension: null, dashboard_ids: [], filters: [] });
  t.deepEqual(report.sort, [{ column: total.id, direction: 'desc' }]);
  const result = await expectOk(t, ws.client.post('/bi/queries/run', { report_id: report.id }));
  t.like(result, { report_id: report.id, dataset_id: ds.id, row_count: 3, truncated: false });
  t.regex(result.id, /^qry_/);
  t.deepEqual(result.columns, [
    { name: 'stage', type: 'string', label: 'Stage' },
    { name: total.id, type: 'integer', label: 'Pipeline value' },
    { name: count.id, type: 'integer', label: 'Deals' },
  ]);
  t.deepEqual(result.rows, [['proposal', 9000, 2], ['qualified', 7000, 2], ['discovery', 5000, 2]]);

  // Extra filters are ANDed; row_limit overrides the report's.
  const filtered = await expectOk(t, ws.client.post('/bi/queries/run', { report_id: report.id, filters: [{ column: 'amount_cents', operator: 'gte', value: 3000 }], row_limit: 2 }));
  t.deepEqual(filtered.rows, [['proposal', 9000, 2], ['qualified', 5000, 1]]);
  t.true(filtered.truncated);
  const badExtra = await expectError(t, ws.client.post('/bi/queries/run', { report_id: report.id, filters: [{ column: 'ghost', operator: 'eq', value: 1 }] }), 422, 'validation_failed');
  t.deepEqual(fields(badExtra), ['filters.0.column']);
  // The contract's one-source rule.
  await expectError(t, ws.client.post('/bi/queries/run', { report_id: report.id, dimensions: ['stage'] }), 422, 'validation_failed');
  await expectError(t, ws.client.post('/bi/queries/run', { report_id: report.id, sql: 'select 1' }), 422, 'validation_failed');
});

test('a report\'s references and columns are checked: 404, 409 resource_archived, 422 naming the field', async (t) => {
  const ws = await dealsWorkspace(h, 0);
  const { ds, total } = await pipeline(t, ws);
  const other = await tableDataset(t, ws.client, 'contacts');
  const foreignMetric = await expectOk(t, ws.client.post('/bi/metrics', { name: 'People', dataset_id: other.id, aggregation: 'count' }), 201);
  const cases: Array<[Record<string, unknown>, string[]]> = [
    [{ dimensions: ['nope'] }, ['dimensions.0']],
    [{ metric_ids: [total.id, foreignMetric.id] }, ['metric_ids.1']],
    [{ dimensions: ['stage'], sort: [{ column: 'amount_cents' }] }, ['sort.0.column']],
    [{ time_dimension: { column: 'stage', grain: 'month' } }, ['time_dimension.column']],
    [{ filters: [{ column: 'expected_close_date', operator: 'gt', value: 'soon' }] }, ['filters.0.value']],
    [{ filters: [{ column: 'created_at', operator: 'between', value: ['2025-01-01', 'never'] }] }, ['filters.0.value.1']],
  ];
  for (const [body, named] of cases) {
    const error = await expectError(t, ws.client.post('/bi/reports', { name: 'Bad', dataset_id: ds.id, ...body }), 422, 'validation_failed');
    t.deepEqual(fields(error), named, JSON.stringify(body));
  }
  await expectError(t, ws.client.post('/bi/reports', { name: 'R', dataset_id: ds.id, metric_ids: ['met_missing'] }), 404, 'not_found');
  await expectError(t, ws.client.post('/bi/reports', { name: 'R', dataset_id: ds.id, dashboard_id: 'dash_missing' }), 404, 'not_found');
  await expectOk(t, ws.client.call('DELETE', `/bi/metrics/${total.id}`));
  const archivedMetric = await expectError(t, ws.client.post('/bi/reports', { name: 'R', dataset_id: ds.id, metric_ids: [total.id] }), 409, 'resource_archived');
  t.like(archivedMetric.details, { resource: 'metric', id: total.id, field: 'metric_ids.0' });
  const board = await expectOk(t, ws.client.post('/bi/dashboards', { name: 'Board' }), 201);
  await expectOk(t, ws.client.call('DELETE', `/bi/dashboards/${board.id}`));
  await expectError(t, ws.client.post('/bi/reports', { name: 'R', dataset_id: ds.id, dashboard_id: board.id }), 409, 'resource_archived');
  t.deepEqual(await expectOk(t, ws.client.get('/bi/reports')), [], 'nothing was created');
});

test('running a report whose metric or dataset was archived answers 409; restoring them makes it run again', async (t) => {
  const ws = await dealsWorkspace(h, 3);
  const { ds, total } = await pipeline(t, ws);
  const report = await expectOk(t, ws.client.post('/bi/reports', { name: 'Total', dataset_id: ds.id, metric_ids: [total.id], visualization: 'number' }), 201);
  t.deepEqual((await expectOk(t, ws.client.post('/bi/queries/run', { report_id: report.id }))).rows, [[6000]]);
  await expectOk(t, ws.client.call('DELETE', `/bi/metrics/${total.id}`));
  await expectError(t, ws.client.post('/bi/queries/run', { report_id: report.id }), 409, 'resource_archived');
  await expectOk(t, ws.client.patch(`/bi/metrics/${total.id}`, { status: 'active' }));
  await expectOk(t, ws.client.call('DELETE', `/bi/datasets/${ds.id}`));
  await expectError(t, ws.client.post('/bi/queries/run', { report_id: report.id }), 409, 'resource_archived');
  await expectOk(t, ws.client.patch(`/bi/datasets/${ds.id}`, { status: 'active' }));
  await expectOk(t, ws.client.call('DELETE', `/bi/reports/${report.id}`));
  await expectError(t, ws.client.post('/bi/queries/run', { report_id: report.id }), 409, 'resource_archived');
  await expectOk(t, ws.client.patch(`/bi/reports/${report.id}`, { status: 'active' }));
  t.deepEqual((await expectOk(t, ws.client.post('/bi/queries/run', { report_id: report.id }))).rows, [[6000]]);
});

test('ad-hoc questions over a dataset: every filter operator, values bound (never SQL), metric filters, a time bucket, a preview', async (t) => {
  const ws = await dealsWorkspace(h, 6);
  const { ds, total } = await pipeline(t, ws);
  const ask = (body: Record<string, unknown>) => expectOk(t, ws.client.post('/bi/queries/run', { dataset_id: ds.id, ...body }));
  const amounts = async (filters: unknown[]) => (await ask({ dimensions: ['amount_cents'], filters, sort: [{ column: 'amount_cents' }] })).rows.map((r: number[]) => r[0]);
  t.deepEqual(await amounts([{ column: 'stage', operator: 'eq', value: 'qualified' }]), [2000, 5000]);
  t.deepEqual(await amounts([{ column: 'stage', operator: 'neq', value: 'qualified' }]), [1000, 3000, 4000, 6000]);
  t.deepEqual(await amounts([{ column: 'amount_cents', operator: 'gt', value: 4000 }]), [5000, 6000]);
  t.deepEqual(await amounts([{ column: 'amount_cents', operator: 'lte', value: 2000 }]), [1000, 2000]);
  t.deepEqual(await amounts([{ column: 'amount_cents', operator: 'lt', value: 1500.5 }]), [1000]);
  t.deepEqual(await amounts([{ column: 'amount_cents', operator: 'in', value: [1000, 6000, 7] }]), [1000, 6000]);
  t.deepEqual(await amounts([{ column: 'stage', operator: 'not_in', value: ['discovery', 'proposal'] }]), [2000, 5000]);
  t.deepEqual(await amounts([{ column: 'amount_cents', operator: 'between', value: [2000, 4000] }]), [2000, 3000, 4000]);
  t.deepEqual(await amounts([{ column: 'name', operator: 'contains', value: 'AL 5' }]), [6000], 'case-insensitive');
  t.deepEqual(await amounts([{ column: 'name', operator: 'starts_with', value: 'deal 1' }]), [2000]);
  t.deepEqual(await amounts([{ column: 'name', operator: 'contains', value: '%' }]), [], 'no pattern characters');
  t.deepEqual(await amounts([{ column: 'closed_at', operator: 'is_null' }, { column: 'currency', operator: 'is_not_null', value: null }]), [1000, 2000, 3000, 4000, 5000, 6000]);
  t.deepEqual(await amounts([{ column: 'created_at', operator: 'gte', value: '2000-01-01T00:00:00Z' }, { column: 'created_at', operator: 'lt', value: '2999-01-01' }]), [1000, 2000, 3000, 4000, 5000, 6000]);
  t.deepEqual(await amounts([{ column: 'stage', operator: 'eq', value: "qualified' OR '1'='1" }]), [], 'a quote in a value is a value');
  t.deepEqual(await amounts([{ column: 'stage', operator: 'eq', value: "x'); DROP TABLE deals; --" }]), []);

  const withFilter = await expectOk(t, ws.client.post('/bi/metrics', {
    name: 'Proposal value', dataset_id: ds.id, aggregation: 'sum', column: 'amount_cents', filters: [{ column: 'stage', operator: 'eq', value: 'proposal' }],
  }), 201);
  const distinct = await expectOk(t, ws.client.post('/bi/metrics', { name: 'Stages', dataset_id: ds.id, aggregation: 'count_distinct', column: 'stage' }), 201);
  const both = await ask({ metric_ids: [total.id, withFilter.id, distinct.id] });
  t.deepEqual(both.rows, [[21000, 9000, 3]], 'each metric filters only itself');

  const monthly = await ask({ time_dimension: { column: 'created_at', grain: 'month' }, metric_ids: [total.id] });
  t.deepEqual(monthly.columns.map((c: { name: string; type: string; label: string }) => [c.name, c.type, c.label]), [['created_at_month', 'timestamp', 'created_at (month)'], [total.id, 'integer', 'Pipeline value']]);
  const month = new Date();
  t.deepEqual(monthly.rows, [[new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth(), 1)).toISOString(), 21000]]);

  const preview = await ask({ filters: [{ column: 'stage', operator: 'eq', value: 'proposal' }], sort: [{ column: 'amount_cents', direction: 'desc' }], row_limit: 1 });
  t.deepEqual(preview.columns.map((c: { name: string }) => c.name), ds.columns.map((c: { name: string }) => c.name));
  t.is(preview.rows.length, 1);
  t.is(preview.rows[0][preview.columns.findIndex((c: { name: string }) => c.name === 'amount_cents')], 6000);
  t.true(preview.truncated);
  const unknownSort = await expectError(t, ws.client.post('/bi/queries/run', { dataset_id: ds.id, dimensions: ['stage'], sort: [{ column: 'name' }] }), 422, 'validation_failed');
  t.deepEqual(fields(unknownSort), ['sort.0.column']);
});

test('a view dataset answers structured questions over its SELECT', async (t) => {
  const ws = await dealsWorkspace(h, 6);
  const view = await expectOk(t, ws.client.post('/bi/datasets', {
    name: 'Stage positions', kind: 'view',
    sql: 'select s.position, s.name as stage_name, d.amount_cents from deals d join deal_stages s on s.id = d.stage_id; -- trailing comment',
  }), 201);
  const sum = await expectOk(t, ws.client.post('/bi/metrics', { name: 'Sum', dataset_id: view.id, aggregation: 'sum', column: 'amount_cents' }), 201);
  const res = await expectOk(t, ws.client.post('/bi/queries/run', { dataset_id: view.id, dimensions: ['position', 'stage_name'], metric_ids: [sum.id] }));
  t.deepEqual(res.rows, [[10, 'Discovery', 5000], [20, 'Qualified', 7000], [30, 'Proposal', 9000]]);
});

test('dashboards: cards on a 12-column grid, below each other by default, no overlaps; a report with dashboard_id lands at the bottom', async (t) => {
  const ws = await dealsWorkspace(h, 0);
  const { ds, total } = await pipeline(t, ws);
  const r1 = await expectOk(t, ws.client.post('/bi/reports', { name: 'R1', dataset_id: ds.id, metric_ids: [total.id] }), 201);
  const r2 = await expectOk(t, ws.client.post('/bi/reports', { name: 'R2', dataset_id: ds.id, dimensions: ['stage'] }), 201);
  const board = await expectOk(t, ws.client.post('/bi/dashboards', {
    name: 'Pipeline overview', description: 'Open pipeline', cards: [
      { report_id: r1.id, x: 0, y: 0, width: 6, height: 4, title: 'Total' },
      { report_id: r2.id, x: 6, y: 0, width: 6, height: 4 },
      { report_id: r2.id },
    ],
  }), 201);
  t.regex(board.id, /^dash_/);
  t.deepEqual(board.cards.map((c: any) => [c.report_id, c.title, c.x, c.y, c.width, c.height]), [
    [r1.id, 'Total', 0, 0, 6, 4], [r2.id, null, 6, 0, 6, 4], [r2.id, null, 0, 4, 6, 4],
  ]);
  for (const c of board.cards) t.regex(c.id, /^card_/);

  const r3 = await expectOk(t, ws.client.post('/bi/reports', { name: 'R3', dataset_id: ds.id, metric_ids: [total.id], dashboard_id: board.id }), 201);
  t.deepEqual(r3.dashboard_ids, [board.id]);
  const [listed] = await expectOk(t, ws.client.get('/bi/dashboards'));
  t.deepEqual(listed.cards.at(-1), { ...listed.cards.at(-1), report_id: r3.id, x: 0, y: 8, width: 6, height: 4 });
  t.deepEqual((await expectOk(t, ws.client.get(`/bi/reports?dashboard_id=${board.id}`))).map((r: { id: string }) => r.id), [r3.id, r2.id, r1.id]);
  t.deepEqual((await expectOk(t, ws.client.get('/bi/reports?dashboard_id=dash_none'))), []);
  const [withBoard] = (await expectOk(t, ws.client.get('/bi/reports'))).filter((r: { id: string }) => r.id === r2.id);
  t.deepEqual(withBoard.dashboard_ids, [board.id]);

  const layouts: Array<[unknown[], string[]]> = [
    [[{ report_id: r1.id, x: 8, width: 6 }], ['cards.0.width']],
    [[{ report_id: r1.id, x: 0, y: 0, width: 6 }, { report_id: r2.id, x: 4, y: 2, width: 4 }], ['cards.1']],
  ];
  for (const [cards, named] of layouts) {
    const error = await expectError(t, ws.client.post('/bi/dashboards', { name: 'Bad', cards }), 422, 'validation_failed');
    t.deepEqual(fields(error), named);
  }
  await expectError(t, ws.client.post('/bi/dashboards', { name: 'Bad', cards: [{ report_id: 'rpt_missing' }] }), 404, 'not_found');
  await expectOk(t, ws.client.call('DELETE', `/bi/reports/${r1.id}`));
  const archivedCard = await expectError(t, ws.client.post('/bi/dashboards', { name: 'Bad', cards: [{ report_id: r1.id }] }), 409, 'resource_archived');
  t.is(archivedCard.details.field, 'cards.0.report_id');

  // A new layout replaces the old one.
  const relaid = await expectOk(t, ws.client.patch(`/bi/dashboards/${board.id}`, { cards: [{ report_id: r2.id, width: 12, height: 6 }] }));
  t.deepEqual(relaid.cards.map((c: any) => [c.report_id, c.x, c.y, c.width, c.height]), [[r2.id, 0, 0, 12, 6]]);
  t.deepEqual((await expectOk(t, ws.client.get(`/bi/reports?dashboard_id=${board.id}`))).map((r: { id: string }) => r.id), [r2.id]);
  const wrongField = await expectError(t, ws.client.patch(`/bi/reports/${r2.id}`, { cards: [] }), 422, 'validation_failed');
  t.deepEqual(fields(wrongField), ['cards']);
  // A new layout naming an archived report is refused as a whole (409, as updateBiObject documents).
  const archivedOnPatch = await expectError(t, ws.client.patch(`/bi/dashboards/${board.id}`, { cards: [{ report_id: r2.id }, { report_id: r1.id }] }), 409, 'resource_archived');
  t.is(archivedOnPatch.details.field, 'cards.1.report_id');
  const kept = (await expectOk(t, ws.client.get('/bi/dashboards'))).find((d: { id: string }) => d.id === board.id);
  t.deepEqual(kept.cards.map((c: any) => c.report_id), [r2.id], 'the layout is unchanged');
  t.deepEqual((await h.events(ws.id, { resourceId: board.id })).map((e) => e.type), ['bi_dashboard.created', 'bi_dashboard.updated', 'bi_dashboard.updated']);
});

test('createBiDashboard is idempotent; lists hide archived dashboards unless asked', async (t) => {
  const ws = await dealsWorkspace(h, 0);
  const first = await ws.client.post('/bi/dashboards', { name: 'Once' }, { headers: { 'Idempotency-Key': 'dash-once' } });
  const again = await ws.client.post('/bi/dashboards', { name: 'Once' }, { headers: { 'Idempotency-Key': 'dash-once' } });
  t.is(again.body.data.id, first.body.data.id);
  const conflict = await ws.client.post('/bi/dashboards', { name: 'Other body' }, { headers: { 'Idempotency-Key': 'dash-once' } });
  t.is(conflict.status, 409);
  const draft = await expectOk(t, ws.client.post('/bi/dashboards', { name: 'Draft board', status: 'draft' }), 201);
  await expectOk(t, ws.client.call('DELETE', `/bi/dashboards/${first.body.data.id}`));
  t.deepEqual((await expectOk(t, ws.client.get('/bi/dashboards'))).map((d: { id: string }) => d.id), [draft.id]);
  t.deepEqual((await expectOk(t, ws.client.get('/bi/dashboards?status=archived'))).map((d: { id: string }) => d.id), [first.body.data.id]);
  t.deepEqual((await expectOk(t, ws.client.get('/bi/dashboards?status=draft&query=draft'))).map((d: { id: string }) => d.id), [draft.id]);
});

test('another workspace\'s BI objects answer 404 everywhere and stay out of lists; creations record their events', async (t) => {
  const mine = await dealsWorkspace(h, 1);
  const theirs = await dealsWorkspace(h, 1);
  const { ds, total } = await pipeline(t, theirs);
  const report = await expectOk(t, theirs.client.post('/bi/reports', { name: 'Theirs', dataset_id: ds.id, metric_ids: [total.id] }), 201);
  const board = await expectOk(t, theirs.client.post('/bi/dashboards', { name: 'Theirs', cards: [{ report_id: report.id }] }), 201);

  for (const [collection, id] of [['datasets', ds.id], ['metrics', total.id], ['reports', report.id], ['dashboards', board.id]]) {
    await expectError(t, mine.client.patch(`/bi/${collection}/${id}`, { name: 'Mine' }), 404, 'not_found');
    await expectError(t, mine.client.call('DELETE', `/bi/${collection}/${id}`), 404, 'not_found');
  }
  await expectError(t, mine.client.post('/bi/queries/run', { report_id: report.id }), 404, 'not_found');
  await expectError(t, mine.client.post('/bi/reports', { name: 'R', dataset_id: ds.id }), 404, 'not_found');
  const own = await tableDataset(t, mine.client);
  await expectError(t, mine.client.post('/bi/reports', { name: 'R', dataset_id: own.id, metric_ids: [total.id] }), 404, 'not_found');
  await expectError(t, mine.client.post('/bi/reports', { name: 'R', dataset_id: own.id, dashboard_id: board.id }), 404, 'not_found');
  await expectError(t, mine.client.post('/bi/dashboards', { name: 'D', cards: [{ report_id: report.id }] }), 404, 'not_found');
  for (const list of ['datasets', 'metrics', 'reports', 'dashboards']) {
    const ids = (await expectOk(t, mine.client.get(`/bi/${list}`))).map((o: { id: string }) => o.id);
    t.false(ids.some((id: string) => [ds.id, total.id, report.id, board.id].includes(id)), list);
  }
  t.deepEqual(await expectOk(t, mine.client.get(`/bi/reports?dashboard_id=${board.id}`)), []);
  t.deepEqual(await expectOk(t, mine.client.get(`/bi/metrics?dataset_id=${ds.id}`)), []);
  const types = (await h.events(theirs.id)).map((e) => e.type).filter((type) => type.startsWith('bi_'));
  t.deepEqual(types, ['bi_dataset.created', 'bi_metric.created', 'bi_metric.created', 'bi_report.created', 'bi_dashboard.created']);
  t.deepEqual((await h.events(mine.id)).map((e) => e.type).filter((type) => type.startsWith('bi_')), ['bi_dataset.created']);
});
