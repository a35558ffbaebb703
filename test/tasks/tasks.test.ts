import test from 'ava';
import { bootHarness, type Harness } from '../helpers/harness.ts';

let h: Harness;
test.before(async () => { h = await bootHarness(); });
test.after.always(async () => { await h?.close(); });

const sql = <T = any>(query: string, params: unknown[] = []) => h.sql<T>(query, params);
const eventTypes = async (workspaceId: string, resourceId: string) =>
  (await sql<{ type: string }>('select type from outbox_events where workspace_id = ? and resource_id = ? order by id', [workspaceId, resourceId])).map((r) => r.type);

test('createTask answers 201 in the contract shape, open, and emits task.created', async (t) => {
  const { id, client } = await h.workspace();
  const contact = (await client.post('/contacts', { name: 'Jane Doe' })).body.data;
  const res = await client.post('/tasks', {
    title: 'Follow up with Jane Doe', description: 'Ask about pricing', assignee_id: 'user_42', due_date: '2025-02-03',
    related_resource_type: 'contact', related_resource_id: contact.id,
  });
  t.is(res.status, 201);
  t.deepEqual(res.contractErrors, []);
  const task = res.body.data;
  t.regex(task.id, /^task_[0-9a-z]{26}$/);
  t.like(task, {
    title: 'Follow up with Jane Doe', description: 'Ask about pricing', status: 'open', assignee_id: 'user_42', due_date: '2025-02-03',
    related_resource_type: 'contact', related_resource_id: contact.id, completed_at: null, completed_note: null,
  });
  t.is(task.created_at, task.updated_at);
  t.deepEqual(await eventTypes(id, task.id), ['task.created']);

  const bare = await client.post('/tasks', { title: 'Bare' });
  t.is(bare.status, 201);
  t.deepEqual(bare.contractErrors, []);
  t.like(bare.body.data, { description: null, assignee_id: null, due_date: null, related_resource_type: null, related_resource_id: null });
});

test('a task may point at a company or another task', async (t) => {
  const { client } = await h.workspace();
  const company = (await client.post('/companies', { name: 'Acme' })).body.data;
  const onCompany = await client.post('/tasks', { title: 'Call Acme', related_resource_type: 'company', related_resource_id: company.id });
  t.is(onCompany.status, 201);
  const onTask = await client.post('/tasks', { title: 'Prepare the call', related_resource_type: 'task', related_resource_id: onCompany.body.data.id });
  t.is(onTask.status, 201);
  t.is(onTask.body.data.related_resource_id, onCompany.body.data.id);
});

test('a missing or foreign related resource answers 404 naming type and id, and creates nothing', async (t) => {
  const a = await h.workspace();
  const b = await h.workspace();
  const foreign = (await b.client.post('/contacts', { name: 'Not yours' })).body.data;
  for (const [type, rid] of [['contact', foreign.id], ['contact', 'con_missing'], ['company', 'com_missing'], ['task', 'task_missing'], ['lead', 'lead_missing'], ['deal', 'deal_missing'], ['invoice', 'inv_missing']]) {
    const res = await a.client.post('/tasks', { title: 'Orphan', related_resource_type: type, related_resource_id: rid });
    t.is(res.status, 404, `${type} ${rid}`);
    t.deepEqual(res.contractErrors, []);
    t.is(res.body.error.code, 'not_found');
    t.deepEqual(res.body.error.details, { resource: type, id: rid });
  }
  t.deepEqual((await a.client.get('/tasks')).body.data, []);
  t.deepEqual(await sql('select type from outbox_events where workspace_id = ?', [a.id]), []);
});

test('createTask validation errors answer 422 naming the field', async (t) => {
  const { client } = await h.workspace();
  const cases: [unknown, string][] = [
    [{}, 'title'],
    [{ description: 'no title' }, 'title'],
    [{ title: '' }, 'title'],
    [{ title: 'x'.repeat(201) }, 'title'],
    [{ title: 'T', due_date: '2025-02-30' }, 'due_date'],
    [{ title: 'T', due_date: 'tomorrow' }, 'due_date'],
    [{ title: 'T', status: 'completed' }, 'status'],
    [{ title: 'T', related_resource_type: 'contact' }, 'related_resource_id'],
    [{ title: 'T', related_resource_id: 'con_1' }, 'related_resource_type'],
    [{ title: 'T', related_resource_type: 'planet', related_resource_id: 'x' }, 'related_resource_type'],
  ];
  for (const [body, field] of cases) {
    const res = await client.post('/tasks', body);
    t.is(res.status, 422, JSON.stringify(body));
    t.deepEqual(res.contractErrors, []);
    t.is(res.body.error.code, 'validation_failed');
    // dependentRequired problems are reported on "(body)" with the missing property in the text.
    t.true(res.body.error.details.fields.some((f: any) => f.field === field || (f.field === '(body)' && f.problem.includes(`property ${field} `))),
      `${JSON.stringify(body)} names ${field}: ${JSON.stringify(res.body.error.details)}`);
  }
  // A type of the contract whose module is not built yet is refused by the server, naming the field.
  const types: string[] = h.built.contract.document.components.schemas.RelatedResourceType.enum;
  const unbuilt = types.find((type) => !h.deps.resources.has(type));
  if (unbuilt) {
    const unsupported = await client.post('/tasks', { title: 'T', related_resource_type: unbuilt, related_resource_id: 'x_1' });
    t.is(unsupported.status, 422, unbuilt);
    t.deepEqual(unsupported.contractErrors, []);
    t.deepEqual(unsupported.body.error.details.fields.map((f: any) => f.field), ['related_resource_type']);
  }
  t.deepEqual((await client.get('/tasks')).body.data, []);
});

test('completing sets completed_at and keeps the note; reopening clears completed_at; events follow', async (t) => {
  const { id, client } = await h.workspace();
  const task = (await client.post('/tasks', { title: 'Follow up' })).body.data;
  const done = await client.patch(`/tasks/${task.id}`, { status: 'completed', completed_note: 'Jane confirmed the next call.' });
  t.is(done.status, 200);
  t.deepEqual(done.contractErrors, []);
  t.like(done.body.data, { id: task.id, status: 'completed', completed_note: 'Jane confirmed the next call.', title: 'Follow up' });
  t.truthy(done.body.data.completed_at);
  t.true(done.body.data.updated_at >= task.updated_at);
  t.deepEqual(await eventTypes(id, task.id), ['task.created', 'task.updated', 'task.completed']);

  // Completing again keeps the original moment and emits nothing.
  const again = await client.patch(`/tasks/${task.id}`, { status: 'completed' });
  t.is(again.body.data.completed_at, done.body.data.completed_at);
  t.deepEqual(await eventTypes(id, task.id), ['task.created', 'task.updated', 'task.completed']);

  const reopened = await client.patch(`/tasks/${task.id}`, { status: 'open' });
  t.deepEqual(reopened.contractErrors, []);
  t.like(reopened.body.data, { status: 'open', completed_at: null, completed_note: 'Jane confirmed the next call.' });
  const canceled = await client.patch(`/tasks/${task.id}`, { status: 'canceled', completed_note: null });
  t.like(canceled.body.data, { status: 'canceled', completed_at: null, completed_note: null });
  t.deepEqual(await eventTypes(id, task.id), ['task.created', 'task.updated', 'task.completed', 'task.updated', 'task.updated']);
  const [row] = await sql('select status, completed_at, completed_note from tasks where id = ?', [task.id]);
  t.deepEqual(row, { status: 'canceled', completed_at: null, completed_note: null });
});

test('updateTask changes fields, null clears them, and the related resource is checked', async (t) => {
  const { client } = await h.workspace();
  const contact = (await client.post('/contacts', { name: 'Jane' })).body.data;
  const company = (await client.post('/companies', { name: 'Acme' })).body.data;
  const task = (await client.post('/tasks', { title: 'Old', description: 'd', assignee_id: 'u1', due_date: '2025-01-01', related_resource_type: 'contact', related_resource_id: contact.id })).body.data;
  const res = await client.patch(`/tasks/${task.id}`, { title: 'New', due_date: '2025-03-04', assignee_id: 'u2', related_resource_type: 'company', related_resource_id: company.id });
  t.is(res.status, 200);
  t.deepEqual(res.contractErrors, []);
  t.like(res.body.data, { title: 'New', description: 'd', due_date: '2025-03-04', assignee_id: 'u2', related_resource_type: 'company', related_resource_id: company.id });
  const cleared = await client.patch(`/tasks/${task.id}`, { description: null, assignee_id: null, due_date: null, related_resource_type: null, related_resource_id: null });
  t.deepEqual(cleared.contractErrors, []);
  t.like(cleared.body.data, { title: 'New', description: null, assignee_id: null, due_date: null, related_resource_type: null, related_resource_id: null });

  const missing = await client.patch(`/tasks/${task.id}`, { related_resource_type: 'contact', related_resource_id: 'con_gone' });
  t.is(missing.status, 404);
  t.deepEqual(missing.contractErrors, []);
  t.deepEqual(missing.body.error.details, { resource: 'contact', id: 'con_gone' });
  const half = await client.patch(`/tasks/${task.id}`, { related_resource_type: 'contact', related_resource_id: null });
  t.is(half.status, 422);
  t.deepEqual(half.contractErrors, []);
  t.deepEqual(half.body.error.details.fields.map((f: any) => f.field), ['related_resource_id']);
  t.like((await client.get('/tasks')).body.data[0], { related_resource_type: null, related_resource_id: null }, 'a refused update changed nothing');
});

test('updateTask: unknown or foreign task answers 404; invalid patches 422', async (t) => {
  const a = await h.workspace();
  const b = await h.workspace();
  const theirs = (await b.client.post('/tasks', { title: 'B task' })).body.data;
  for (const taskId of ['task_missing', theirs.id]) {
    const res = await a.client.patch(`/tasks/${taskId}`, { title: 'Hijack' });
    t.is(res.status, 404);
    t.deepEqual(res.contractErrors, []);
    t.deepEqual(res.body.error.details, { resource: 'task', id: taskId });
  }
  t.is((await b.client.get('/tasks')).body.data[0].title, 'B task');
  const mine = (await a.client.post('/tasks', { title: 'A task' })).body.data;
  for (const [body, field] of [[{}, '(body)'], [{ status: 'done' }, 'status'], [{ title: null }, 'title'], [{ completed_at: '2025-01-01T00:00:00Z' }, 'completed_at']] as const) {
    const res = await a.client.patch(`/tasks/${mine.id}`, body);
    t.is(res.status, 422, JSON.stringify(body));
    t.deepEqual(res.contractErrors, []);
    t.true(JSON.stringify(res.body.error.details).includes(field), JSON.stringify(res.body.error.details));
  }
});

test('listTasks orders by due date (undated last), then creation, and filters by status and assignee', async (t) => {
  const { client } = await h.workspace();
  const make = async (title: string, extra: Record<string, unknown> = {}) => (await client.post('/tasks', { title, ...extra })).body.data;
  const undated1 = await make('undated 1', { assignee_id: 'ann' });
  const late = await make('late', { due_date: '2025-06-01' });
  const soon = await make('soon', { due_date: '2025-01-10', assignee_id: 'ann' });
  const undated2 = await make('undated 2');
  const soonToo = await make('soon too', { due_date: '2025-01-10' });
  await client.patch(`/tasks/${late.id}`, { status: 'completed' });
  await client.patch(`/tasks/${undated2.id}`, { status: 'canceled' });

  const titles = async (q = '') => {
    const res = await client.get(`/tasks${q}`);
    t.is(res.status, 200);
    t.deepEqual(res.contractErrors, []);
    t.is(res.body.next_cursor, null);
    return res.body.data.map((x: any) => x.title);
  };
  t.deepEqual(await titles(), [soon.title, soonToo.title, late.title, undated1.title, undated2.title]);
  t.deepEqual(await titles('?status=open'), [soon.title, soonToo.title, undated1.title]);
  t.deepEqual(await titles('?status=completed'), [late.title]);
  t.deepEqual(await titles('?status=canceled'), [undated2.title]);
  t.deepEqual(await titles('?assignee_id=ann'), [soon.title, undated1.title]);
  t.deepEqual(await titles('?assignee_id=ann&status=completed'), []);
  t.deepEqual(await titles('?assignee_id=nobody'), []);
  const bad = await client.get('/tasks?status=done');
  t.is(bad.status, 422);
  t.deepEqual(bad.contractErrors, []);
});

test('listTasks pages through dated and undated tasks exactly once', async (t) => {
  const { client } = await h.workspace();
  const created: string[] = [];
  // Shared due dates and a run of undated tasks put page boundaries inside ties and across the null edge.
  const dates = ['2025-03-01', null, '2025-01-01', '2025-03-01', null, '2025-01-01', null, '2025-02-01', '2025-03-01', null, null];
  for (const [i, due_date] of dates.entries()) {
    created.push((await client.post('/tasks', { title: `T${i}`, ...(due_date ? { due_date } : {}) })).body.data.id);
  }
  const all = (await client.get('/tasks?limit=100')).body.data;
  t.is(all.length, dates.length);
  for (const limit of [1, 2, 3, 4]) {
    const seen: any[] = [];
    let cursor: string | null = null;
    do {
      const res: any = await client.get(`/tasks?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      t.is(res.status, 200);
      t.deepEqual(res.contractErrors, []);
      t.true(res.body.data.length <= limit);
      seen.push(...res.body.data);
      cursor = res.body.next_cursor;
    } while (cursor);
    t.deepEqual(seen.map((x) => x.id), all.map((x: any) => x.id), `limit ${limit}`);
  }
  const sortKey = (x: any) => `${x.due_date ?? '9999-99-99'}|${x.id}`;
  t.deepEqual(all.map(sortKey), [...all.map(sortKey)].sort());
  t.deepEqual(all.map((x: any) => x.id).sort(), [...created].sort());

  const first = await client.get('/tasks?limit=2');
  const [payload, mac] = (first.body.next_cursor as string).split('.');
  for (const badCursor of ['garbage', `${payload}.${mac!.slice(0, -2)}xx`]) {
    const res = await client.get(`/tasks?cursor=${encodeURIComponent(badCursor)}`);
    t.is(res.status, 422);
    t.is(res.body.error.code, 'invalid_cursor');
    t.deepEqual(res.contractErrors, []);
  }
  t.is((await client.get(`/activities?cursor=${encodeURIComponent(first.body.next_cursor)}`)).status, 422, 'another list cannot use it');
});

test('tasks stay in their workspace', async (t) => {
  const a = await h.workspace();
  const b = await h.workspace();
  await a.client.post('/tasks', { title: 'Secret', assignee_id: 'ann' });
  t.deepEqual((await b.client.get('/tasks')).body.data, []);
  t.deepEqual((await b.client.get('/tasks?assignee_id=ann')).body.data, []);
  t.is((await a.client.get('/tasks')).body.data.length, 1);
});

test('createTask replays an idempotent retry and needs the tasks scope', async (t) => {
  const { client } = await h.workspace();
  const headers = { 'Idempotency-Key': 'task-once' };
  const first = await client.post('/tasks', { title: 'Once' }, { headers });
  const retry = await client.post('/tasks', { title: 'Once' }, { headers });
  t.is(retry.status, 201);
  t.is(retry.headers.get('idempotent-replayed'), 'true');
  t.deepEqual(retry.body.data, first.body.data);
  t.is((await client.get('/tasks')).body.data.length, 1);

  const reader = await h.workspace({ scopes: ['tasks:read'] });
  const denied = await reader.client.post('/tasks', { title: 'No' });
  t.is(denied.status, 403);
  t.deepEqual(denied.contractErrors, []);
  t.is((await reader.client.get('/tasks')).status, 200);
});

test('concurrent completions of one task stamp it once and emit task.completed once', async (t) => {
  const { id, client } = await h.workspace();
  const task = (await client.post('/tasks', { title: 'Race' })).body.data;
  const results = await Promise.all(Array.from({ length: 6 }, () => client.patch(`/tasks/${task.id}`, { status: 'completed' })));
  t.true(results.every((r) => r.status === 200));
  t.is(new Set(results.map((r) => r.body.data.completed_at)).size, 1, 'every answer shows the same completion moment');
  t.deepEqual(await eventTypes(id, task.id), ['task.created', 'task.updated', 'task.completed']);
});
