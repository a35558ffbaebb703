import test from 'ava';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { logActivity } from '../../modules/activity-log/activity-log.ts';
import { serializeActivity } from '../../modules/activity-log/serializers.ts';

let h: Harness;
test.before(async () => { h = await bootHarness(); });
test.after.always(async () => { await h?.close(); });

const sql = <T = any>(query: string, params: unknown[] = []) => h.sql<T>(query, params);
const tokenId = async (workspaceId: string) => (await sql<{ id: string }>('select id from api_tokens where workspace_id = ?', [workspaceId]))[0]!.id;

test('createActivity answers 201 in the contract shape with the token as actor, and emits activity.created', async (t) => {
  const { id, client } = await h.workspace();
  const contact = (await client.post('/contacts', { name: 'Jane Doe' })).body.data;
  const before = Date.now();
  const res = await client.post('/activities', { type: 'email', summary: 'Jane asked for pricing details', related_resource_type: 'contact', related_resource_id: contact.id });
  t.is(res.status, 201);
  t.deepEqual(res.contractErrors, []);
  const act = res.body.data;
  t.regex(act.id, /^act_[0-9a-z]{26}$/);
  t.like(act, { type: 'email', summary: 'Jane asked for pricing details', body: null, related_resource_type: 'contact', related_resource_id: contact.id, actor_type: 'api_token', actor_id: await tokenId(id) });
  const occurred = Date.parse(act.occurred_at);
  t.true(occurred >= before - 1 && occurred <= Date.now() + 1, 'occurred_at defaults to now');
  const events = await sql<{ type: string; payload: any }>('select type, payload from outbox_events where workspace_id = ? and resource_id = ?', [id, act.id]);
  t.deepEqual(events.map((e) => e.type), ['activity.created']);
  t.is(events[0]!.payload.summary, act.summary);

  const full = await client.post('/activities', { type: 'meeting', summary: 'Kickoff', body: 'Agreed on the scope.', occurred_at: '2025-01-15T10:00:00.250+02:00' });
  t.is(full.status, 201);
  t.deepEqual(full.contractErrors, []);
  t.like(full.body.data, { body: 'Agreed on the scope.', occurred_at: '2025-01-15T08:00:00.250Z', related_resource_type: null, related_resource_id: null });
});

test('every activity type of the contract is accepted, and a task is a valid related resource', async (t) => {
  const { client } = await h.workspace();
  const task = (await client.post('/tasks', { title: 'Call' })).body.data;
  for (const type of ['note', 'call', 'email', 'meeting', 'agent_action']) {
    const res = await client.post('/activities', { type, summary: `A ${type}`, related_resource_type: 'task', related_resource_id: task.id });
    t.is(res.status, 201, type);
    t.deepEqual(res.contractErrors, []);
  }
});

test('a missing or foreign related resource answers 404 naming type and id, and logs nothing', async (t) => {
  const a = await h.workspace();
  const b = await h.workspace();
  const foreign = (await b.client.post('/companies', { name: 'Theirs' })).body.data;
  for (const [type, rid] of [['company', foreign.id], ['contact', 'con_missing'], ['task', 'task_missing'], ['lead', 'lead_missing'], ['deal', 'deal_missing'], ['invoice', 'inv_missing']]) {
    const res = await a.client.post('/activities', { type: 'note', summary: 'Orphan', related_resource_type: type, related_resource_id: rid });
    t.is(res.status, 404, `${type} ${rid}`);
    t.deepEqual(res.contractErrors, []);
    t.deepEqual(res.body.error.details, { resource: type, id: rid });
  }
  t.deepEqual((await a.client.get('/activities')).body.data, []);
  t.deepEqual(await sql('select 1 from outbox_events where workspace_id = ?', [a.id]), []);
});

test('createActivity validation errors answer 422 naming the field', async (t) => {
  const { client } = await h.workspace();
  const cases: [unknown, string][] = [
    [{ summary: 'No type' }, 'type'],
    [{ type: 'sms', summary: 'Bad type' }, 'type'],
    [{ type: 'note' }, 'summary'],
    [{ type: 'note', summary: '' }, 'summary'],
    [{ type: 'note', summary: 'x'.repeat(1001) }, 'summary'],
    [{ type: 'note', summary: 'S', occurred_at: 'yesterday' }, 'occurred_at'],
    [{ type: 'note', summary: 'S', related_resource_type: 'contact' }, 'related_resource_id'],
    [{ type: 'note', summary: 'S', related_resource_id: 'con_1' }, 'related_resource_type'],
    [{ type: 'note', summary: 'S', actor_type: 'system' }, 'actor_type'],
  ];
  for (const [body, field] of cases) {
    const res = await client.post('/activities', body);
    t.is(res.status, 422, JSON.stringify(body));
    t.deepEqual(res.contractErrors, []);
    // dependentRequired problems are reported on "(body)" with the missing property in the text.
    t.true(res.body.error.details.fields.some((f: any) => f.field === field || (f.field === '(body)' && f.problem.includes(`property ${field} `))),
      `${JSON.stringify(body)} names ${field}: ${JSON.stringify(res.body.error.details)}`);
  }
  // `asset` is served by the assets module: an unknown asset is a 404, as for every served type.
  const missing = await client.post('/activities', { type: 'note', summary: 'S', related_resource_type: 'asset', related_resource_id: 'asset_1' });
  t.is(missing.status, 404);
  t.deepEqual(missing.body.error.details, { resource: 'asset', id: 'asset_1' });
  t.deepEqual((await client.get('/activities')).body.data, []);
});

test('listActivities: newest occurred_at first; query searches summary and body; type and resource filters', async (t) => {
  const { client } = await h.workspace();
  const contact = (await client.post('/contacts', { name: 'Jane' })).body.data;
  const company = (await client.post('/companies', { name: 'Acme' })).body.data;
  const log = async (body: Record<string, unknown>) => (await client.post('/activities', body)).body.data;
  const pricing = await log({ type: 'email', summary: 'Jane asked for PRICING details', occurred_at: '2025-01-15T10:00:00Z', related_resource_type: 'contact', related_resource_id: contact.id });
  const call = await log({ type: 'call', summary: 'Intro call', body: 'Discussed the Enterprise plan and 100% uptime', occurred_at: '2025-01-16T09:00:00Z', related_resource_type: 'company', related_resource_id: company.id });
  const backdated = await log({ type: 'note', summary: 'Met at the conference', occurred_at: '2024-11-02T12:00:00Z', related_resource_type: 'contact', related_resource_id: contact.id });
  const now = await log({ type: 'note', summary: 'Sent the contract' });

  const ids = async (q = '') => {
    const res = await client.get(`/activities${q}`);
    t.is(res.status, 200, q);
    t.deepEqual(res.contractErrors, []);
    return res.body.data.map((a: any) => a.id);
  };
  t.deepEqual(await ids(), [now.id, call.id, pricing.id, backdated.id]);
  t.deepEqual(await ids('?query=pricing'), [pricing.id], 'summary, case-insensitively');
  t.deepEqual(await ids('?query=enterprise%20PLAN'), [call.id], 'body');
  t.deepEqual(await ids('?query=100%25'), [call.id], 'wildcards match literally');
  t.deepEqual(await ids('?query=_'), [], 'an underscore is not a wildcard');
  t.deepEqual(await ids('?type=note'), [now.id, backdated.id]);
  t.deepEqual(await ids('?type=note&query=conference'), [backdated.id]);
  t.deepEqual(await ids(`?related_resource_type=contact&related_resource_id=${contact.id}`), [pricing.id, backdated.id]);
  t.deepEqual(await ids('?related_resource_type=company'), [call.id]);
  t.deepEqual(await ids(`?related_resource_id=${company.id}&type=email`), []);
  for (const bad of ['?type=sms', '?query=', '?related_resource_type=planet', '?limit=0', '?limit=101']) {
    const res = await client.get(`/activities${bad}`);
    t.is(res.status, 422, bad);
    t.deepEqual(res.contractErrors, []);
  }
});

test('listActivities pages exactly once through ties on occurred_at', async (t) => {
  const { client } = await h.workspace();
  const times = ['2025-01-01T00:00:00Z', '2025-01-02T00:00:00Z', '2025-01-01T00:00:00Z', '2025-01-03T00:00:00Z', '2025-01-01T00:00:00Z', '2025-01-02T00:00:00Z', '2025-01-01T00:00:00Z'];
  for (const [i, occurred_at] of times.entries()) await client.post('/activities', { type: 'note', summary: `N${i}`, occurred_at });
  const all = (await client.get('/activities?limit=100')).body.data;
  t.is(all.length, times.length);
  const key = (a: any) => `${a.occurred_at}|${a.id}`;
  t.deepEqual(all.map(key), [...all.map(key)].sort().reverse());
  for (const limit of [1, 2, 3]) {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: any = await client.get(`/activities?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      t.deepEqual(res.contractErrors, []);
      t.true(res.body.data.length <= limit);
      seen.push(...res.body.data.map((a: any) => a.id));
      cursor = res.body.next_cursor;
    } while (cursor);
    t.deepEqual(seen, all.map((a: any) => a.id), `limit ${limit}`);
  }
  const first = await client.get('/activities?limit=2&type=note');
  const [payload, mac] = (first.body.next_cursor as string).split('.');
  const bad = await client.get(`/activities?cursor=${encodeURIComponent(`${payload}.${mac!.slice(0, -2)}xx`)}`);
  t.is(bad.status, 422);
  t.is(bad.body.error.code, 'invalid_cursor');
  t.deepEqual(bad.contractErrors, []);
  const other = await h.workspace();
  t.is((await other.client.get(`/activities?cursor=${encodeURIComponent(first.body.next_cursor)}`)).status, 422, 'another workspace cannot use it');
});

test('activities stay in their workspace', async (t) => {
  const a = await h.workspace();
  const b = await h.workspace();
  const contact = (await a.client.post('/contacts', { name: 'Jane' })).body.data;
  await a.client.post('/activities', { type: 'note', summary: 'Secret plan', related_resource_type: 'contact', related_resource_id: contact.id });
  t.deepEqual((await b.client.get('/activities')).body.data, []);
  t.deepEqual((await b.client.get('/activities?query=secret')).body.data, []);
  t.deepEqual((await b.client.get(`/activities?related_resource_type=contact&related_resource_id=${contact.id}`)).body.data, []);
  t.is((await a.client.get('/activities?query=secret')).body.data.length, 1);
});

test('logActivity writes a system activity in the caller\'s transaction, with its event', async (t) => {
  const { id, client } = await h.workspace();
  const contact = (await client.post('/contacts', { name: 'Converted' })).body.data;
  const em = h.deps.orm.em.fork();
  const written = await em.transactional((tx) => logActivity(h.tenant(id, tx, 'req_system'), {
    type: 'note', summary: 'Lead converted', related_resource_type: 'contact', related_resource_id: contact.id, by: 'system',
    occurred_at: new Date('2025-01-15T10:00:00Z'),
  }));
  const listed = await client.get('/activities');
  t.deepEqual(listed.contractErrors, []);
  t.deepEqual(listed.body.data, [serializeActivity(written)]);
  t.like(listed.body.data[0], { actor_type: 'system', actor_id: null, occurred_at: '2025-01-15T10:00:00.000Z', body: null });
  const events = await sql<{ type: string; request_id: string }>('select type, request_id from outbox_events where resource_id = ?', [written.id]);
  t.deepEqual(events, [{ type: 'activity.created', request_id: 'req_system' }]);

  // A rolled-back caller leaves neither the activity nor its event.
  await t.throwsAsync(em.fork().transactional(async (tx) => {
    await logActivity(h.tenant(id, tx, null), { type: 'note', summary: 'Doomed', related_resource_type: 'contact', related_resource_id: contact.id, by: 'system' });
    throw new Error('conversion failed later');
  }), { message: /conversion failed/ });
  t.is((await client.get('/activities')).body.data.length, 1);
  t.deepEqual(await sql('select 1 from outbox_events where workspace_id = ? and type = ?', [id, 'activity.created']), [{ '?column?': 1 }]);
});

test('the free-text search is served by the trigram index, not a table scan', async (t) => {
  const { id } = await h.workspace();
  const conn = h.deps.orm.em.fork().getConnection();
  // A workspace of realistic size, so the planner's choice reflects production.
  await conn.execute(`insert into activities (id, workspace_id, type, summary, body, occurred_at, actor_type)
    select 'act_bulk' || lpad(g::text, 6, '0') || ?, ?, 'note', 'Follow-up ' || g, 'Discussed renewal number ' || g, now() - g * interval '1 minute', 'system'
    from generate_series(1, 30000) g`, [id.slice(-6), id]);
  await conn.execute(`insert into activities (id, workspace_id, type, summary, body, occurred_at, actor_type) values (?, ?, 'call', 'Call with Wile', 'He wants a coyote discount', now(), 'api_token')`, [`act_wile${id.slice(-6)}`, id]);
  await conn.execute('analyze activities');
  const plan = await conn.execute<{ 'QUERY PLAN': string }[]>(
    `explain select id from activities where workspace_id = ? and search_text like ? order by occurred_at desc, id desc limit 26`, [id, '%coyote%']);
  const text = plan.map((r) => r['QUERY PLAN']).join('\n');
  t.regex(text, /Bitmap Index Scan on activities_search_idx/, text);
  t.notRegex(text, /Seq Scan/);
  const other = await h.workspace();
  t.deepEqual((await other.client.get('/activities?query=coyote')).body.data, [], 'and the bulk rows stay in their workspace');
});
