import test from 'ava';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { activities, events, pipelineWorkspace } from './helpers.ts';

let h: Harness;
test.before(async () => { h = await bootHarness(); });
test.after.always(async () => { await h?.close(); });

async function dealIn(ws: { client: any }, body: Record<string, unknown> = {}) {
  const res = await ws.client.post('/deals', { name: 'Pilot', ...body });
  if (res.status !== 201) throw new Error(`createDeal answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.data;
}

test('updateDeal changes only the fields given and answers 200 in the contract shape', async (t) => {
  const ws = await pipelineWorkspace(h);
  const company = (await ws.client.post('/companies', { name: 'Acme' })).body.data;
  const deal = await dealIn(ws, { company_id: company.id, amount_cents: 1000, currency: 'USD', notes: 'first', expected_close_date: '2026-01-31' });
  const res = await ws.client.patch(`/deals/${deal.id}`, { name: 'Pilot, renamed', amount_cents: 750000 });
  t.is(res.status, 200);
  t.deepEqual(res.contractErrors, []);
  const { name, amount_cents, updated_at, ...rest } = res.body.data;
  const { name: _n, amount_cents: _a, updated_at: before, ...restBefore } = deal;
  t.is(name, 'Pilot, renamed');
  t.is(amount_cents, 750000);
  t.deepEqual(rest, restBefore, 'nothing else changed');
  t.true(updated_at > before);

  const updated = await events(h, ws.id, 'deal.updated');
  t.is(updated.length, 1);
  t.like(updated[0]!, { resource_id: deal.id, request_id: res.body.request_id });
  t.like(updated[0]!.payload, { name: 'Pilot, renamed', amount_cents: 750000 });
  t.is(updated[0]!.payload.updated_at, res.body.data.updated_at, 'the event carries the deal as answered');
  t.deepEqual(updated[0]!.payload.changed_fields.sort(), ['amount_cents', 'name']);
  t.deepEqual(await events(h, ws.id, 'deal.stage_changed'), [], 'no stage change, no stage event');
});

test('null clears nullable fields; the links are checked when set', async (t) => {
  const ws = await pipelineWorkspace(h);
  const company = (await ws.client.post('/companies', { name: 'Acme' })).body.data;
  const contact = (await ws.client.post('/contacts', { name: 'Jane' })).body.data;
  const deal = await dealIn(ws, { company_id: company.id, contact_id: contact.id, amount_cents: 5, currency: 'EUR', notes: 'n', expected_close_date: '2026-05-01' });
  const cleared = await ws.client.patch(`/deals/${deal.id}`, { company_id: null, contact_id: null, amount_cents: null, currency: null, notes: null, expected_close_date: null });
  t.is(cleared.status, 200);
  t.deepEqual(cleared.contractErrors, []);
  t.like(cleared.body.data, { company_id: null, contact_id: null, amount_cents: null, currency: null, notes: null, expected_close_date: null });
  const relinked = await ws.client.patch(`/deals/${deal.id}`, { company_id: company.id, contact_id: contact.id, expected_close_date: '2026-06-30' });
  t.like(relinked.body.data, { company_id: company.id, contact_id: contact.id, expected_close_date: '2026-06-30' });
});

test('custom_fields are shallow-merged and a null value removes the key', async (t) => {
  const ws = await pipelineWorkspace(h);
  const deal = await dealIn(ws, { custom_fields: { tier: 'gold', seats: 10, meta: { a: 1, b: 2 } } });
  const res = await ws.client.patch(`/deals/${deal.id}`, { custom_fields: { seats: 12, tier: null, meta: { a: 3 }, region: 'emea' } });
  t.deepEqual(res.contractErrors, []);
  t.deepEqual(res.body.data.custom_fields, { seats: 12, meta: { a: 3 }, region: 'emea' });
  const same = await ws.client.patch(`/deals/${deal.id}`, { custom_fields: { seats: 12, gone: null } });
  t.deepEqual(same.body.data.custom_fields, { seats: 12, meta: { a: 3 }, region: 'emea' });
  t.is(same.body.data.updated_at, res.body.data.updated_at, 'a patch that changes nothing leaves the deal as it was');
  t.is((await events(h, ws.id, 'deal.updated')).length, 1, 'and records no event');

  const many = Object.fromEntries(Array.from({ length: 98 }, (_, i) => [`k${i}`, i]));
  const tooMany = await ws.client.patch(`/deals/${deal.id}`, { custom_fields: many });
  t.is(tooMany.status, 422, '3 stored + 98 new keys exceed 100');
  t.is(tooMany.body.error.code, 'rule_violation');
  t.is(tooMany.body.error.details.field, 'custom_fields');
  t.deepEqual(tooMany.contractErrors, []);
});

test('a stage change records deal.stage_changed, a system activity, and closes and reopens the deal', async (t) => {
  const ws = await pipelineWorkspace(h);
  const deal = await dealIn(ws, { name: 'Big one' });
  t.is(deal.stage, 'discovery');

  const moved = await ws.client.patch(`/deals/${deal.id}`, { stage: 'proposal' });
  t.is(moved.status, 200);
  t.deepEqual(moved.contractErrors, []);
  t.like(moved.body.data, { stage: 'proposal', status: 'open', closed_at: null });
  t.not(moved.body.data.stage_id, deal.stage_id);

  const won = await ws.client.patch(`/deals/${deal.id}`, { stage: 'closed_won', amount_cents: 990000, currency: 'USD' });
  t.deepEqual(won.contractErrors, []);
  t.like(won.body.data, { stage: 'closed_won', status: 'won', amount_cents: 990000 });
  t.is(won.body.data.closed_at, won.body.data.updated_at, 'closed_at is the time of the move');

  const reopened = await ws.client.patch(`/deals/${deal.id}`, { stage: 'qualified' });
  t.like(reopened.body.data, { stage: 'qualified', status: 'open', closed_at: null });

  const changes = await events(h, ws.id, 'deal.stage_changed');
  t.deepEqual(changes.map((e) => [e.payload.from, e.payload.to, e.payload.status]),
    [['discovery', 'proposal', 'open'], ['proposal', 'closed_won', 'won'], ['closed_won', 'qualified', 'open']]);
  t.true(changes.every((e) => e.resource_id === deal.id && e.payload.deal_id === deal.id));
  t.is(changes[1]!.payload.closed_at, won.body.data.closed_at);
  t.is(changes[1]!.request_id, won.body.request_id);

  const logged = await activities(h, ws.id, deal.id);
  t.is(logged.length, 3);
  t.true(logged.every((a) => a.actor_type === 'system' && a.actor_id === null && a.related_resource_type === 'deal'));
  t.is(logged[0]!.type, 'note');
  t.is(logged[0]!.summary, 'Deal "Big one" moved from Discovery to Proposal');
  t.is(logged[1]!.body, 'Stage changed from proposal to closed_won (closed won).');

  // The deal's timeline in the activity log, in the contract's shape (newest first).
  const listed = await ws.client.get(`/activities?related_resource_type=deal&related_resource_id=${deal.id}`);
  t.is(listed.status, 200);
  t.deepEqual(listed.contractErrors, []);
  t.deepEqual(listed.body.data.map((a: any) => a.summary), [
    'Deal "Big one" moved from Closed won to Qualified',
    'Deal "Big one" moved from Proposal to Closed won',
    'Deal "Big one" moved from Discovery to Proposal',
  ]);
});

test('naming the current stage is no stage change', async (t) => {
  const ws = await pipelineWorkspace(h);
  const deal = await dealIn(ws, { stage: 'closed_lost' });
  const res = await ws.client.patch(`/deals/${deal.id}`, { stage: 'closed_lost' });
  t.is(res.status, 200);
  t.is(res.body.data.closed_at, deal.closed_at, 'closed_at is kept');
  t.deepEqual(await events(h, ws.id, 'deal.stage_changed'), []);
  t.deepEqual(await activities(h, ws.id, deal.id), []);
});

test('concurrent stage changes each report the stage they really left', async (t) => {
  const ws = await pipelineWorkspace(h);
  const deal = await dealIn(ws);
  const targets = ['qualified', 'proposal', 'closed_won', 'closed_lost', 'discovery', 'qualified'];
  const results = await Promise.all(targets.map((stage) => ws.client.patch(`/deals/${deal.id}`, { stage })));
  t.true(results.every((r) => r.status === 200));
  const chain = (await events(h, ws.id, 'deal.stage_changed')).map((e) => e.payload);
  for (let i = 1; i < chain.length; i++) t.is(chain[i].from, chain[i - 1].to, 'each move starts where the previous one ended');
  t.is(chain[0].from, 'discovery');
  t.is(chain.length, (await activities(h, ws.id, deal.id)).length);
});

test('update errors: unknown stage 422, missing or foreign deal/company/contact 404, currency rules', async (t) => {
  const ws = await pipelineWorkspace(h);
  const other = await pipelineWorkspace(h);
  const deal = await dealIn(ws);
  const theirDeal = await dealIn(other);
  const theirCompany = (await other.client.post('/companies', { name: 'Theirs' })).body.data;
  const theirContact = (await other.client.post('/contacts', { name: 'Them' })).body.data;

  const check = async (path: string, body: unknown, status: number, code: string, field?: string) => {
    const res = await ws.client.patch(path, body);
    t.is(res.status, status, `${path} ${JSON.stringify(body)}`);
    t.is(res.body.error.code, code);
    t.deepEqual(res.contractErrors, []);
    if (field) t.is(res.body.error.details.field, field);
    return res;
  };
  await check(`/deals/${deal.id}`, { stage: 'negotiation' }, 422, 'rule_violation', 'stage');
  await check('/deals/deal_missing', { name: 'x' }, 404, 'not_found');
  await check(`/deals/${theirDeal.id}`, { name: 'Hijacked' }, 404, 'not_found');
  await check(`/deals/${deal.id}`, { company_id: theirCompany.id }, 404, 'not_found');
  await check(`/deals/${deal.id}`, { contact_id: theirContact.id }, 404, 'not_found');
  await check(`/deals/${deal.id}`, { contact_id: 'con_missing' }, 404, 'not_found');
  await check(`/deals/${deal.id}`, { amount_cents: 100 }, 422, 'rule_violation', 'currency');
  await check(`/deals/${deal.id}`, { currency: 'ZZZ' }, 422, 'validation_failed');
  await check(`/deals/${deal.id}`, {}, 422, 'validation_failed');
  await check(`/deals/${deal.id}`, { stage_id: 'stage_x' }, 422, 'validation_failed');
  await check(`/deals/${deal.id}`, { name: null }, 422, 'validation_failed');

  const priced = await ws.client.patch(`/deals/${deal.id}`, { amount_cents: 100, currency: 'GBP' });
  t.is(priced.status, 200);
  await check(`/deals/${deal.id}`, { currency: null }, 422, 'rule_violation', 'currency');
  t.is((await ws.client.patch(`/deals/${deal.id}`, { amount_cents: 250 })).body.data.currency, 'GBP', 'the stored currency covers a new amount');

  t.deepEqual((await other.client.patch(`/deals/${theirDeal.id}`, { notes: 'still mine' })).body.data.name, 'Pilot');
  t.deepEqual(await events(h, other.id, 'deal.updated').then((rows) => rows.length), 1, 'the foreign attempt changed nothing');
});

test('updateDeal replays an Idempotency-Key without moving the deal twice', async (t) => {
  const ws = await pipelineWorkspace(h);
  const deal = await dealIn(ws);
  const headers = { 'Idempotency-Key': 'move-1' };
  const first = await ws.client.patch(`/deals/${deal.id}`, { stage: 'proposal' }, { headers });
  await ws.client.patch(`/deals/${deal.id}`, { stage: 'qualified' });
  const replay = await ws.client.patch(`/deals/${deal.id}`, { stage: 'proposal' }, { headers });
  t.is(replay.status, 200);
  t.is(replay.headers.get('idempotent-replayed'), 'true');
  t.deepEqual(replay.body.data, first.body.data);
  t.is((await events(h, ws.id, 'deal.stage_changed')).length, 2, 'the replay moved nothing');
});
