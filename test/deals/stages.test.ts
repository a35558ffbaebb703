import test from 'ava';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { events, pipelineWorkspace } from './helpers.ts';

let h: Harness;
test.before(async () => { h = await bootHarness(); });
test.after.always(async () => { await h?.close(); });

const keys = (res: any) => res.body.data.map((s: any) => s.key);

test('createDealStage answers 201 in the contract shape and records deal_stage.created', async (t) => {
  const { client, id } = await h.workspace();
  const res = await client.post('/deal-stages', { key: 'discovery', name: 'Discovery', position: 10 });
  t.is(res.status, 201);
  t.deepEqual(res.contractErrors, []);
  const stage = res.body.data;
  t.regex(stage.id, /^stage_/);
  t.like(stage, { key: 'discovery', name: 'Discovery', position: 10, outcome: 'open' });
  const won = await client.post('/deal-stages', { key: 'won', name: 'Won', position: 90, outcome: 'won' });
  t.is(won.body.data.outcome, 'won');
  const rows = await events(h, id);
  t.deepEqual(rows.map((r) => [r.type, r.resource_type, r.resource_id]), [
    ['deal_stage.created', 'deal_stage', stage.id], ['deal_stage.created', 'deal_stage', won.body.data.id]]);
  t.is(rows[0]!.payload.key, 'discovery');
  t.is(rows[0]!.request_id, res.body.request_id);
});

test('position defaults to after the last stage', async (t) => {
  const { client } = await h.workspace();
  t.is((await client.post('/deal-stages', { key: 'first', name: 'First' })).body.data.position, 10, 'the first stage of an empty pipeline');
  await client.post('/deal-stages', { key: 'late', name: 'Late', position: 75 });
  await client.post('/deal-stages', { key: 'early', name: 'Early', position: 5 });
  const next = await client.post('/deal-stages', { key: 'next', name: 'Next' });
  t.is(next.body.data.position, 85);
  t.deepEqual(keys(await client.get('/deal-stages')), ['early', 'first', 'late', 'next']);
});

test('a duplicate key answers 409 already_exists with the existing id, even under concurrency', async (t) => {
  const { client, id } = await h.workspace();
  const first = await client.post('/deal-stages', { key: 'demo', name: 'Demo' });
  const dup = await client.post('/deal-stages', { key: 'demo', name: 'Another demo', position: 3 });
  t.is(dup.status, 409);
  t.deepEqual(dup.contractErrors, []);
  t.is(dup.body.error.code, 'already_exists');
  t.like(dup.body.error.details, { resource: 'deal_stage', field: 'key', existing_id: first.body.data.id });

  const racers = await Promise.all(Array.from({ length: 8 }, (_, i) => client.post('/deal-stages', { key: 'race', name: `Race ${i}` })));
  t.is(racers.filter((r) => r.status === 201).length, 1);
  t.is(racers.filter((r) => r.status === 409).length, 7);
  t.true(racers.every((r) => r.contractErrors.length === 0));
  t.is((await events(h, id, 'deal_stage.created')).length, 2, 'rejected creates record nothing');
});

test('createDealStage validates its body against the contract', async (t) => {
  const { client } = await h.workspace();
  for (const body of [
    { key: 'Discovery', name: 'Upper-case key' },
    { key: '1st', name: 'Digit first' },
    { key: 'a'.repeat(65), name: 'Too long' },
    { key: 'ok', name: '' },
    { key: 'ok', name: 'Negative', position: -1 },
    { key: 'ok', name: 'Fraction', position: 1.5 },
    { key: 'ok', name: 'Bad outcome', outcome: 'closed' },
    { key: 'ok', name: 'Extra field', color: 'red' },
    { name: 'No key' },
  ]) {
    const res = await client.post('/deal-stages', body);
    t.is(res.status, 422, JSON.stringify(body));
    t.is(res.body.error.code, 'validation_failed');
    t.deepEqual(res.contractErrors, []);
  }
  t.deepEqual((await client.get('/deal-stages')).body.data, []);
});

test('createDealStage replays an Idempotency-Key instead of creating twice', async (t) => {
  const { client } = await h.workspace();
  const headers = { 'Idempotency-Key': 'stage-once' };
  const first = await client.post('/deal-stages', { key: 'once', name: 'Once' }, { headers });
  const again = await client.post('/deal-stages', { key: 'once', name: 'Once' }, { headers });
  t.is(again.status, 201);
  t.is(again.headers.get('idempotent-replayed'), 'true');
  t.deepEqual(again.body.data, first.body.data);
  const other = await client.post('/deal-stages', { key: 'twice', name: 'Twice' }, { headers });
  t.is(other.status, 409);
  t.is(other.body.error.code, 'idempotency_key_reused');
  t.deepEqual(keys(await client.get('/deal-stages')), ['once']);
});

test('listDealStages is ordered by position, then id, and returns the contract shape', async (t) => {
  const { client } = await pipelineWorkspace(h);
  const tie = await client.post('/deal-stages', { key: 'tie_a', name: 'Tie A', position: 20 });
  const tie2 = await client.post('/deal-stages', { key: 'tie_b', name: 'Tie B', position: 20 });
  const res = await client.get('/deal-stages');
  t.is(res.status, 200);
  t.deepEqual(res.contractErrors, []);
  t.is(res.body.next_cursor, null);
  t.deepEqual(keys(res), ['discovery', 'qualified', 'tie_a', 'tie_b', 'proposal', 'closed_won', 'closed_lost']);
  const tied = res.body.data.filter((s: any) => s.position === 20).map((s: any) => s.id);
  t.deepEqual(tied, [...tied].sort(), 'equal positions are ordered by id');
  t.true(tied.includes(tie.body.data.id) && tied.includes(tie2.body.data.id));
});

test('pages walk the pipeline in order, each stage once, even while stages are added', async (t) => {
  const { client } = await h.workspace();
  for (let i = 0; i < 12; i++) await client.post('/deal-stages', { key: `s${i}`, name: `Stage ${i}`, position: (i % 4) * 100 });
  const expected = keys(await client.get('/deal-stages?limit=100'));
  const seen: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  let added = 0;
  do {
    const res: any = await client.get(`/deal-stages?limit=5${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    t.is(res.status, 200);
    t.deepEqual(res.contractErrors, []);
    seen.push(...keys(res));
    cursor = res.body.next_cursor;
    pages++;
    // A stage slotted in before the page already read neither repeats nor shifts anything.
    await client.post('/deal-stages', { key: `added${added++}`, name: 'Added early', position: 0 });
  } while (cursor);
  t.is(pages, 3);
  t.deepEqual(seen, expected);
});

test('query matches stage key or name, case-insensitively and literally', async (t) => {
  const { client } = await pipelineWorkspace(h);
  await client.post('/deal-stages', { key: 'negotiation', name: 'Contract review' });
  t.deepEqual(keys(await client.get('/deal-stages?query=closed')), ['closed_won', 'closed_lost']);
  t.deepEqual(keys(await client.get('/deal-stages?query=QUALI')), ['qualified']);
  t.deepEqual(keys(await client.get('/deal-stages?query=contract')), ['negotiation'], 'by name');
  t.deepEqual(keys(await client.get('/deal-stages?query=negotia')), ['negotiation'], 'by key');
  t.deepEqual(keys(await client.get('/deal-stages?query=a_i')), [], 'underscore is literal (as a wildcard it would match "negotiation")');
  t.deepEqual(keys(await client.get('/deal-stages?query=d_w')), ['closed_won']);
  t.deepEqual(keys(await client.get('/deal-stages?query=%25')), [], 'percent is literal');
  const paged = await client.get('/deal-stages?query=o&limit=2');
  t.deepEqual(keys(paged), ['discovery', 'proposal']);
  const rest = await client.get(`/deal-stages?query=o&limit=2&cursor=${encodeURIComponent(paged.body.next_cursor)}`);
  t.deepEqual(keys(rest), ['closed_won', 'closed_lost']);
});

test('a tampered, foreign or other-list cursor answers 422 invalid_cursor', async (t) => {
  const a = await pipelineWorkspace(h);
  const b = await pipelineWorkspace(h);
  const cursor: string = (await a.client.get('/deal-stages?limit=2')).body.next_cursor;
  const [payload, mac] = cursor.split('.');
  const forged = Buffer.from(JSON.stringify({ after: JSON.stringify([0, 'stage_0']) })).toString('base64url');
  await a.client.post('/companies', { name: 'C1' });
  await a.client.post('/companies', { name: 'C2' });
  const companyCursor: string = (await a.client.get('/companies?limit=1')).body.next_cursor;
  for (const bad of [`${forged}.${mac}`, `${payload}.${mac!.slice(0, -2)}xx`, 'garbage', `${payload}`, companyCursor]) {
    const res = await a.client.get(`/deal-stages?cursor=${encodeURIComponent(bad)}`);
    t.is(res.status, 422, bad);
    t.is(res.body.error.code, 'invalid_cursor');
    t.deepEqual(res.contractErrors, []);
  }
  t.is((await b.client.get(`/deal-stages?cursor=${encodeURIComponent(cursor)}`)).status, 422, 'another workspace cannot use it');
  t.is((await a.client.get(`/deal-stages?cursor=${encodeURIComponent(cursor)}`)).status, 200);
});

test('limit bounds are validated', async (t) => {
  const { client } = await h.workspace();
  for (const limit of ['0', '101', 'x']) {
    const res = await client.get(`/deal-stages?limit=${limit}`);
    t.is(res.status, 422, limit);
    t.deepEqual(res.contractErrors, []);
  }
});

test('stages belong to their workspace: lists, keys and searches stay apart', async (t) => {
  const a = await h.workspace();
  const b = await h.workspace();
  await a.client.post('/deal-stages', { key: 'secret_stage', name: 'Secret stage' });
  t.deepEqual((await b.client.get('/deal-stages?query=secret')).body.data, []);
  t.deepEqual((await b.client.get('/deal-stages')).body.data, []);
  t.is((await b.client.post('/deal-stages', { key: 'secret_stage', name: 'Same key elsewhere' })).status, 201);
  t.is((await a.client.get('/deal-stages')).body.data.length, 1);
});

test('the crm scopes guard the stage operations', async (t) => {
  const reader = await h.workspace({ scopes: ['crm:read'] });
  const write = await reader.client.post('/deal-stages', { key: 'nope', name: 'Nope' });
  t.is(write.status, 403);
  t.is(write.body.error.code, 'insufficient_scope');
  t.is((await reader.client.get('/deal-stages')).status, 200);
  const writer = await h.workspace({ scopes: ['crm:write'] });
  t.is((await writer.client.get('/deal-stages')).status, 403);
});
