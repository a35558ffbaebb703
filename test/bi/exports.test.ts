// createBiExport / listBiExports: the workflow streams the query's rows into DuckDB's writers (or
// exceljs), uploads the file, and records its row count, size and SHA-256; the file read back by
// an independent reader has exactly the rows runBiQuery answers. Failures keep a readable error.
import test from 'ava';
import { createHash } from 'node:crypto';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { dealsWorkspace, expectError, expectOk, fields, pipelineReport } from './helpers.ts';
import { asText, downloadBytes, readBack, settledExport } from './export-helpers.ts';

let h: Harness;
test.before(async () => { h = await bootHarness(); });
test.after.always(async () => { await h?.close(); });

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const DEALS_SQL = 'SELECT name, stage, amount_cents FROM deals ORDER BY amount_cents';

for (const format of ['csv', 'json', 'parquet', 'xlsx'] as const) {
  test(`a ${format} export of SQL holds exactly the rows runBiQuery answers, with its size and SHA-256`, async (t) => {
    const ws = await dealsWorkspace(h, 7);
    const queued = await expectOk(t, ws.client.post('/bi/exports', { format, sql: DEALS_SQL, file_name: `deals.${format}` }), 202);
    t.like(queued, { status: 'queued', progress: 0, format, sql: DEALS_SQL, file_name: `deals.${format}`, row_count: null, download_url: null, workflow_id: `bi-export-${queued.id}` });
    const done = await settledExport(ws.client, queued.id);
    t.deepEqual(done.contractErrors, []);
    t.is(done.status, 'succeeded', JSON.stringify(done.error));
    t.like(done, { progress: 100, row_count: 7, error: null });
    t.truthy(done.download_url);
    t.is(Date.parse(done.expires_at) - Date.parse(done.completed_at), 7 * 24 * 3600_000);

    const file = await downloadBytes(done.download_url);
    t.is(file.status, 200);
    t.is(file.bytes.length, done.byte_size);
    t.is(sha256(file.bytes), done.sha256);
    t.regex(file.headers.get('content-disposition') ?? '', new RegExp(`deals\\.${format}`));

    const expected = await expectOk(t, ws.client.post('/bi/queries/run', { sql: DEALS_SQL }));
    const back = await readBack(format, file.bytes);
    t.deepEqual(back.columns, ['name', 'stage', 'amount_cents']);
    t.deepEqual(back.rows, asText(expected.rows), 'row for row, in order');
  });
}

test('a report export follows the report (its filters ANDed), names the file after it, and the workflow answers its progress', async (t) => {
  const ws = await dealsWorkspace(h, 6);
  const { report } = await pipelineReport(t, ws);
  const filters = [{ column: 'stage', operator: 'in', value: ['proposal', 'qualified'] }];
  const queued = await expectOk(t, ws.client.post('/bi/exports', { format: 'csv', report_id: report.id, filters }), 202);
  t.like(queued, { report_id: report.id, dataset_id: null, file_name: 'Pipeline by stage.csv', filters });
  const done = await settledExport(ws.client, queued.id);
  t.is(done.status, 'succeeded', JSON.stringify(done.error));
  const back = await readBack('csv', (await downloadBytes(done.download_url)).bytes);
  t.deepEqual(back.rows, [['proposal', '9000'], ['qualified', '7000']]);

  const handle = h.deps.temporal.workflow.getHandle(done.workflow_id);
  t.deepEqual(await handle.query('progress'), { status: 'succeeded', progress: 100, rows_written: 2, planned_rows: 2 });
  const described = await handle.describe();
  t.deepEqual(described.searchAttributes.WorkspaceId, [ws.id]);
  t.deepEqual(described.searchAttributes.ResourceId, [queued.id]);
  t.is(described.status.name, 'RUNNING', 'waiting on the expiry timer');

  const [row] = await h.sql('select planned_rows, object_key from bi_exports where id = ?', [queued.id]);
  t.is(row.planned_rows, 2);
  t.is(row.object_key, `workspaces/${ws.id}/bi-exports/${queued.id}/file`);
  t.deepEqual((await h.events(ws.id, { resourceId: queued.id })).map((e) => e.type), ['bi_export.created', 'bi_export.succeeded']);
});

test('row_limit caps the file; an empty result still has its header', async (t) => {
  const ws = await dealsWorkspace(h, 5);
  const capped = await expectOk(t, ws.client.post('/bi/exports', { format: 'csv', sql: DEALS_SQL, row_limit: 3 }), 202);
  const empty = await expectOk(t, ws.client.post('/bi/exports', { format: 'csv', sql: `${DEALS_SQL.replace(' ORDER', " WHERE stage = 'none' ORDER")}` }), 202);
  const cappedDone = await settledExport(ws.client, capped.id);
  t.like(cappedDone, { status: 'succeeded', row_count: 3, file_name: 'query.csv' });
  t.is((await readBack('csv', (await downloadBytes(cappedDone.download_url)).bytes)).rows.length, 3);
  const emptyDone = await settledExport(ws.client, empty.id);
  t.like(emptyDone, { status: 'succeeded', row_count: 0 });
  t.is((await downloadBytes(emptyDone.download_url)).bytes.toString(), 'name,stage,amount_cents\n');
});

test('a query that fails while running ends the export failed with a readable error; no file is offered', async (t) => {
  const ws = await dealsWorkspace(h, 2);
  const queued = await expectOk(t, ws.client.post('/bi/exports', { format: 'parquet', sql: 'SELECT CAST(name AS INTEGER) AS n FROM deals' }), 202);
  const done = await settledExport(ws.client, queued.id);
  t.like(done, { status: 'failed', download_url: null, row_count: null });
  t.is(done.error.code, 'rule_violation');
  t.regex(done.error.message, /Conversion Error|convert/i);
  t.deepEqual((await h.events(ws.id, { resourceId: queued.id })).map((e) => e.type), ['bi_export.created', 'bi_export.failed']);
});

test('the request checks its source: unknown or other workspace → 404, archived → 409, bad SQL or shape → 422', async (t) => {
  const ws = await dealsWorkspace(h, 1);
  const other = await dealsWorkspace(h, 1);
  const { report, ds } = await pipelineReport(t, other);
  await expectError(t, ws.client.post('/bi/exports', { format: 'csv', report_id: report.id }), 404, 'not_found');
  await expectError(t, ws.client.post('/bi/exports', { format: 'csv', dataset_id: ds.id }), 404, 'not_found');
  await expectError(t, ws.client.post('/bi/exports', { format: 'csv', report_id: 'rpt_missing' }), 404, 'not_found');
  await expectOk(t, other.client.call('DELETE', `/bi/reports/${report.id}`));
  await expectError(t, other.client.post('/bi/exports', { format: 'csv', report_id: report.id }), 409, 'resource_archived');
  const bad = await expectError(t, ws.client.post('/bi/exports', { format: 'csv', sql: 'DELETE FROM deals' }), 422, 'rule_violation');
  t.truthy(bad);
  const shape = await expectError(t, ws.client.post('/bi/exports', { format: 'pdf', sql: 'SELECT 1' }), 422, 'validation_failed');
  t.true(fields(shape).includes('format'));
  await expectError(t, ws.client.post('/bi/exports', { format: 'csv', sql: 'SELECT 1', file_name: 'a/b.csv' }), 422, 'validation_failed');
  t.deepEqual(await h.sql('select id from bi_exports where workspace_id = ?', [ws.id]), [], 'nothing recorded');
});

test('listBiExports filters, pages newest first, and never shows another workspace\'s exports', async (t) => {
  const ws = await dealsWorkspace(h, 2);
  const other = await dealsWorkspace(h, 1);
  const { report } = await pipelineReport(t, ws);
  const a = await expectOk(t, ws.client.post('/bi/exports', { format: 'csv', report_id: report.id }), 202);
  const b = await expectOk(t, ws.client.post('/bi/exports', { format: 'json', sql: 'SELECT 1 AS one' }), 202);
  const c = await expectOk(t, ws.client.post('/bi/exports', { format: 'json', sql: 'SELECT 2 AS two' }), 202);
  await expectOk(t, other.client.post('/bi/exports', { format: 'csv', sql: 'SELECT 3 AS three' }), 202);
  const ids = (res: { id: string }[]) => res.map((e) => e.id);
  t.deepEqual(ids(await expectOk(t, ws.client.get('/bi/exports'))), [c.id, b.id, a.id]);
  t.deepEqual(ids(await expectOk(t, ws.client.get('/bi/exports?format=json'))), [c.id, b.id]);
  t.deepEqual(ids(await expectOk(t, ws.client.get(`/bi/exports?report_id=${report.id}`))), [a.id]);
  const first = await ws.client.get('/bi/exports?limit=2');
  t.deepEqual(ids(first.body.data), [c.id, b.id]);
  t.deepEqual(ids(await expectOk(t, ws.client.get(`/bi/exports?limit=2&cursor=${first.body.next_cursor}`))), [a.id]);
  await settledExport(ws.client, a.id);
  t.true(ids(await expectOk(t, ws.client.get('/bi/exports?status=succeeded'))).includes(a.id));
  t.false(ids(await expectOk(t, ws.client.get('/bi/exports?status=failed'))).includes(a.id));
});
