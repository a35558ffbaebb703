// Scheduled artifacts: each is a Temporal Schedule `bi-artifact-<id>` kept in step with its row by
// the sync workflow (created, updated, paused, resumed, deleted on archive); cron and time zone
// are checked by maintained parsers (422 naming the field); next_run_at comes from Temporal.
import test from 'ava';
import { ScheduleNotFoundError } from '@temporalio/client';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { waitUntil } from '../leads/helpers.ts';
import { dealsWorkspace, expectError, expectOk, fields, tableDataset } from './helpers.ts';

let h: Harness;
test.before(async () => { h = await bootHarness(); });
test.after.always(async () => { await h?.close(); });

const schedule = (id: string) => h.deps.temporal.schedule.getHandle(`bi-artifact-${id}`);
const described = async (id: string) => { try { return await schedule(id).describe(); } catch (err) { if (err instanceof ScheduleNotFoundError) return null; throw err; } };

test('a scheduled artifact becomes a Temporal Schedule that follows pause, resume, edits and archive', async (t) => {
  const ws = await dealsWorkspace(h, 2);
  const ds = await tableDataset(t, ws.client, 'deals');
  const created = await expectOk(t, ws.client.post('/bi/scheduled-artifacts', {
    name: 'Weekly deals', dataset_id: ds.id, format: 'xlsx', cron: '0 8 * * 1', timezone: 'Europe/Paris',
    recipients: ['Sales@Example.com', 'ops@example.com'], subject: 'Deals this week',
  }), 201);
  t.like(created, {
    status: 'active', dataset_id: ds.id, report_id: null, format: 'xlsx', cron: '0 8 * * 1', timezone: 'Europe/Paris',
    recipients: ['sales@example.com', 'ops@example.com'], subject: 'Deals this week', message: null, last_run_at: null,
    last_export_id: null, schedule_id: `bi-artifact-${created.id}`,
  });
  // Monday 08:00 in Paris is 07:00 or 06:00 UTC.
  const next = new Date(created.next_run_at);
  t.is(next.getUTCDay(), 1);
  t.true([6, 7].includes(next.getUTCHours()));

  const first = await waitUntil('the schedule to exist', () => described(created.id));
  t.deepEqual(first.spec.calendars?.length ? 'calendars' : 'cron', 'calendars', 'Temporal compiled the cron');
  t.is(first.spec.timezone, 'Europe/Paris');
  t.false(first.state.paused);
  t.like(first.action, { type: 'startWorkflow', workflowType: 'biArtifactRun', workflowId: `bi-artifact-${created.id}` });
  t.is(first.policies.overlap, 'SKIP');
  const listed = (await expectOk(t, ws.client.get('/bi/scheduled-artifacts')))[0];
  t.is(listed.id, created.id);
  t.is(listed.next_run_at, first.info.nextActionTimes[0]!.toISOString(), 'next_run_at is Temporal\'s');

  const paused = await expectOk(t, ws.client.patch(`/bi/scheduled-artifacts/${created.id}`, { status: 'paused' }));
  t.like(paused, { status: 'paused' });
  await waitUntil('the schedule to pause', async () => (await described(created.id))?.state.paused);
  t.is((await expectOk(t, ws.client.get('/bi/scheduled-artifacts?status=paused')))[0].next_run_at, null);

  await expectOk(t, ws.client.patch(`/bi/scheduled-artifacts/${created.id}`, { status: 'active', cron: '30 6 * * *', timezone: 'UTC' }));
  const resumed = await waitUntil('the schedule to resume on the new cron', async () => {
    const d = await described(created.id);
    return d && !d.state.paused && d.spec.timezone === 'UTC' ? d : null;
  });
  const at = resumed.info.nextActionTimes[0]!;
  t.deepEqual([at.getUTCHours(), at.getUTCMinutes()], [6, 30]);

  const archived = await expectOk(t, ws.client.call('DELETE', `/bi/scheduled-artifacts/${created.id}`));
  t.like(archived, { status: 'archived', next_run_at: null });
  t.truthy(archived.archived_at);
  await waitUntil('the schedule to be deleted', async () => (await described(created.id)) === null);
  t.deepEqual(await expectOk(t, ws.client.get('/bi/scheduled-artifacts')), []);
  t.is((await expectOk(t, ws.client.call('DELETE', `/bi/scheduled-artifacts/${created.id}`))).archived_at, archived.archived_at, 'archiving twice changes nothing');
  t.deepEqual((await h.events(ws.id, { resourceId: created.id })).map((e) => e.type),
    ['bi_scheduled_artifact.created', 'bi_scheduled_artifact.updated', 'bi_scheduled_artifact.updated', 'bi_scheduled_artifact.archived']);
});

test('bad cron, unknown zone, missing or archived sources and fields of other collections are refused, naming them', async (t) => {
  const ws = await dealsWorkspace(h, 1);
  const other = await dealsWorkspace(h, 1);
  const ds = await tableDataset(t, ws.client, 'deals');
  const base = { name: 'S', dataset_id: ds.id, recipients: ['a@example.com'], cron: '0 8 * * 1' };
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ cron: '61 8 * * 1' }, 'cron'],
    [{ cron: '0 0 31 2 *' }, 'cron'],
    [{ cron: 'every monday' }, 'cron'],
    [{ timezone: 'Mars/Olympus' }, 'timezone'],
    [{ timezone: 'Europe/Pariss' }, 'timezone'],
  ];
  for (const [patch, field] of cases) {
    const error = await expectError(t, ws.client.post('/bi/scheduled-artifacts', { ...base, ...patch }), 422, 'validation_failed');
    t.deepEqual(fields(error), [field], JSON.stringify(patch));
  }
  const otherDs = await tableDataset(t, other.client, 'deals');
  await expectError(t, ws.client.post('/bi/scheduled-artifacts', { ...base, dataset_id: otherDs.id }), 404, 'not_found');
  await expectError(t, ws.client.post('/bi/scheduled-artifacts', { ...base, dataset_id: undefined, report_id: 'rpt_missing' }), 404, 'not_found');
  await expectOk(t, other.client.call('DELETE', `/bi/datasets/${otherDs.id}`));
  await expectError(t, other.client.post('/bi/scheduled-artifacts', { ...base, dataset_id: otherDs.id }), 409, 'resource_archived');

  const created = await expectOk(t, ws.client.post('/bi/scheduled-artifacts', { ...base, status: 'paused' }), 201);
  t.like(created, { status: 'paused', next_run_at: null, timezone: 'UTC', format: 'csv' });
  t.deepEqual(fields(await expectError(t, ws.client.patch(`/bi/scheduled-artifacts/${created.id}`, { cron: '0 25 * * *' }), 422, 'validation_failed')), ['cron']);
  t.deepEqual(fields(await expectError(t, ws.client.patch(`/bi/scheduled-artifacts/${created.id}`, { status: 'draft' }), 422, 'validation_failed')), ['status']);
  t.deepEqual(fields(await expectError(t, ws.client.patch(`/bi/scheduled-artifacts/${created.id}`, { source_table: 'deals' }), 422, 'validation_failed')), ['source_table']);
  await expectError(t, other.client.patch(`/bi/scheduled-artifacts/${created.id}`, { name: 'x' }), 404, 'not_found');
  await expectError(t, other.client.call('DELETE', `/bi/scheduled-artifacts/${created.id}`), 404, 'not_found');
  await expectError(t, ws.client.patch(`/bi/datasets/${ds.id}`, { cron: '0 8 * * 1' }), 422, 'validation_failed');
  t.deepEqual((await expectOk(t, other.client.get('/bi/scheduled-artifacts'))), [], 'never another workspace\'s');
  t.deepEqual((await expectOk(t, ws.client.get(`/bi/scheduled-artifacts?dataset_id=${ds.id}`))).map((a: { id: string }) => a.id), [created.id]);
  await waitUntil('the paused schedule to exist', async () => (await described(created.id))?.state.paused);
});

test('a scheduled artifact subscribes to a dashboard of its workspace: set on create, changed, cleared and kept on archive; another workspace\'s or an archived one is refused', async (t) => {
  const ws = await dealsWorkspace(h, 1);
  const other = await dealsWorkspace(h, 1);
  const ds = await tableDataset(t, ws.client, 'deals');
  const board = await expectOk(t, ws.client.post('/bi/dashboards', { name: 'Pipeline overview' }), 201);
  const second = await expectOk(t, ws.client.post('/bi/dashboards', { name: 'Second board' }), 201);
  const base = { name: 'Weekly board', dataset_id: ds.id, recipients: ['a@example.com'], cron: '0 8 * * 1', status: 'paused' };

  const created = await expectOk(t, ws.client.post('/bi/scheduled-artifacts', { ...base, dashboard_id: board.id }), 201);
  t.like(created, { dashboard_id: board.id, dataset_id: ds.id, report_id: null });
  const plain = await expectOk(t, ws.client.post('/bi/scheduled-artifacts', base), 201);
  t.is(plain.dashboard_id, null);
  t.deepEqual((await expectOk(t, ws.client.get(`/bi/scheduled-artifacts?dashboard_id=${board.id}`))).map((a: { id: string }) => a.id), [created.id]);

  t.like(await expectOk(t, ws.client.patch(`/bi/scheduled-artifacts/${created.id}`, { dashboard_id: second.id })), { dashboard_id: second.id });
  t.deepEqual(await expectOk(t, ws.client.get(`/bi/scheduled-artifacts?dashboard_id=${board.id}`)), []);
  t.like(await expectOk(t, ws.client.patch(`/bi/scheduled-artifacts/${created.id}`, { dashboard_id: null })), { dashboard_id: null });
  t.like(await expectOk(t, ws.client.patch(`/bi/scheduled-artifacts/${created.id}`, { dashboard_id: board.id })), { dashboard_id: board.id });
  const archived = await expectOk(t, ws.client.call('DELETE', `/bi/scheduled-artifacts/${created.id}`));
  t.like(archived, { status: 'archived', dashboard_id: board.id });
  t.like((await expectOk(t, ws.client.get('/bi/scheduled-artifacts?status=archived')))[0], { id: created.id, dashboard_id: board.id });

  // Another workspace's dashboard is unknown here, on create and on update, and is never named back.
  const foreign = await expectOk(t, other.client.post('/bi/dashboards', { name: 'Theirs' }), 201);
  const unknown = await expectError(t, ws.client.post('/bi/scheduled-artifacts', { ...base, dashboard_id: foreign.id }), 404, 'not_found');
  t.notRegex(JSON.stringify(unknown), /Theirs/);
  await expectError(t, ws.client.patch(`/bi/scheduled-artifacts/${plain.id}`, { dashboard_id: foreign.id }), 404, 'not_found');
  await expectError(t, ws.client.post('/bi/scheduled-artifacts', { ...base, dashboard_id: 'dash_missing' }), 404, 'not_found');
  // An archived dashboard answers like an archived report or dataset: 409 resource_archived naming the field.
  await expectOk(t, ws.client.call('DELETE', `/bi/dashboards/${second.id}`));
  const onCreate = await expectError(t, ws.client.post('/bi/scheduled-artifacts', { ...base, dashboard_id: second.id }), 409, 'resource_archived');
  t.like(onCreate.details, { resource: 'dashboard', id: second.id, field: 'dashboard_id' });
  const onUpdate = await expectError(t, ws.client.patch(`/bi/scheduled-artifacts/${plain.id}`, { dashboard_id: second.id }), 409, 'resource_archived');
  t.like(onUpdate.details, { field: 'dashboard_id' });
  t.is((await h.sql('select dashboard_id from bi_scheduled_artifacts where id = ?', [plain.id]))[0]?.dashboard_id, null, 'a refused update changes nothing');
  // The field belongs to scheduled artifacts only.
  t.deepEqual(fields(await expectError(t, ws.client.patch(`/bi/datasets/${ds.id}`, { dashboard_id: board.id }), 422, 'validation_failed')), ['dashboard_id']);
});
