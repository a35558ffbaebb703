import test from 'ava';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { events, pipelineWorkspace } from './helpers.ts';

let h: Harness;
test.before(async () => { h = await bootHarness(); });
test.after.always(async () => { await h?.close(); });

const DEAL_KEYS = ['id', 'name', 'stage', 'stage_id', 'status', 'amount_cents', 'currency', 'company_id', 'contact_id', 'lead_id',
  'expected_close_date', 'closed_at', 'notes', 'custom_fields', 'created_at', 'updated_at'];

const stageId = async (client: any, key: string) => (await client.get(`/deal-stages?query=${key}`)).body.data.find((s: any) => s.key === key).id;

test('createDeal answers 201 with every field of the contract and records deal.created', async (t) => {
  const { client, id } = await pipelineWorkspace(h);
  const company = (await client.post('/companies', { name: 'Acme' })).body.data;
  const contact = (await client.post('/contacts', { name: 'Jane', company_id: company.id })).body.data;
  const res = await client.post('/deals', {
    name: 'Pilot subscription', company_id: company.id, contact_id: contact.id, stage: 'qualified', amount_cents: 500000, currency: 'USD',
    expected_close_date: '2026-03-31', notes: 'Champion: Jane', custom_fields: { seats: 40, tier: 'gold' },
  });
  t.is(res.status, 201);
  t.deepEqual(res.contractErrors, []);
  const deal = res.body.data;
  t.deepEqual(Object.keys(deal).sort(), [...DEAL_KEYS].sort());
  t.regex(deal.id, /^deal_/);
  t.like(deal, {
    name: 'Pilot subscription', stage: 'qualified', status: 'open', amount_cents: 500000, currency: 'USD', company_id: company.id,
    contact_id: contact.id, lead_id: null, expected_close_date: '2026-03-31', closed_at: null, notes: 'Champion: Jane',
  });
  t.is(deal.stage_id, await stageId(client, 'qualified'));
  t.deepEqual(deal.custom_fields, { seats: 40, tier: 'gold' });
  t.is(deal.created_at, deal.updated_at);
  const recorded = await events(h, id, 'deal.created');
  t.is(recorded.length, 1);
  t.like(recorded[0]!, { resource_type: 'deal', resource_id: deal.id, request_id: res.body.request_id });
  t.deepEqual(recorded[0]!.payload, deal);
});

test('a deal without a stage starts in the first open stage by position', async (t) => {
  const { client } = await pipelineWorkspace(h);
  const minimal = await client.post('/deals', { name: 'Minimal' });
  t.is(minimal.status, 201);
  t.deepEqual(minimal.contractErrors, []);
  t.like(minimal.body.data, { stage: 'discovery', status: 'open', amount_cents: null, currency: null, company_id: null, contact_id: null, notes: null });
  t.deepEqual(minimal.body.data.custom_fields, {});
  // A closed stage placed first does not count; an open one placed before discovery does.
  await client.post('/deal-stages', { key: 'graveyard', name: 'Graveyard', position: 1, outcome: 'lost' });
  await client.post('/deal-stages', { key: 'inbox', name: 'Inbox', position: 2 });
  t.is((await client.post('/deals', { name: 'Second' })).body.data.stage, 'inbox');
});

test('a workspace without an open stage cannot start a deal without naming one', async (t) => {
  const { client } = await h.workspace();
  const none = await client.post('/deals', { name: 'Nowhere' });
  t.is(none.status, 422);
  t.deepEqual(none.contractErrors, []);
  t.is(none.body.error.code, 'rule_violation');
  t.is(none.body.error.details.field, 'stage');
  await client.post('/deal-stages', { key: 'won', name: 'Won', outcome: 'won' });
  t.is((await client.post('/deals', { name: 'Still nowhere' })).status, 422, 'a closed stage is no starting point');
  t.is((await client.post('/deals', { name: 'Named', stage: 'won' })).status, 201);
});

test('a deal created in a closed stage is closed at once', async (t) => {
  const { client } = await pipelineWorkspace(h);
  const won = await client.post('/deals', { name: 'Done deal', stage: 'closed_won' });
  t.deepEqual(won.contractErrors, []);
  t.is(won.body.data.status, 'won');
  t.is(won.body.data.closed_at, won.body.data.created_at);
  t.is((await client.post('/deals', { name: 'Lost cause', stage: 'closed_lost' })).body.data.status, 'lost');
});

test('an unknown stage key answers 422 rule_violation naming stage', async (t) => {
  const { client, id } = await pipelineWorkspace(h);
  const other = await h.workspace();
  await other.client.post('/deal-stages', { key: 'elsewhere', name: 'Elsewhere' });
  for (const stage of ['negotiation', 'elsewhere']) {
    const res = await client.post('/deals', { name: 'Lost', stage });
    t.is(res.status, 422, stage);
    t.deepEqual(res.contractErrors, []);
    t.is(res.body.error.code, 'rule_violation');
    t.is(res.body.error.details.field, 'stage');
  }
  t.deepEqual(await events(h, id, 'deal.created'), []);
});

test('company_id and contact_id must exist in the workspace: missing or foreign ids answer 404', async (t) => {
  const { client, id } = await pipelineWorkspace(h);
  const other = await h.workspace();
  const foreignCompany = (await other.client.post('/companies', { name: 'Theirs' })).body.data;
  const foreignContact = (await other.client.post('/contacts', { name: 'Their contact' })).body.data;
  for (const body of [{ company_id: 'com_missing' }, { company_id: foreignCompany.id }, { contact_id: 'con_missing' }, { contact_id: foreignContact.id }]) {
    const res = await client.post('/deals', { name: 'Linked', ...body });
    t.is(res.status, 404, JSON.stringify(body));
    t.deepEqual(res.contractErrors, []);
    t.is(res.body.error.code, 'not_found');
    t.is(res.body.error.details.resource, 'company_id' in body ? 'company' : 'contact');
  }
  t.deepEqual(await events(h, id, 'deal.created'), []);
});

test('money is integer minor units with an ISO 4217 currency', async (t) => {
  const { client } = await pipelineWorkspace(h);
  const cases: [Record<string, unknown>, string][] = [
    [{ amount_cents: 100 }, 'validation_failed'],
    [{ amount_cents: 1.5, currency: 'USD' }, 'validation_failed'],
    [{ amount_cents: -1, currency: 'USD' }, 'validation_failed'],
    [{ amount_cents: 10_000_000_000_001, currency: 'USD' }, 'validation_failed'],
    [{ amount_cents: 100, currency: 'usd' }, 'validation_failed'],
    [{ amount_cents: 100, currency: 'ABC' }, 'validation_failed'],
  ];
  for (const [body, code] of cases) {
    const res = await client.post('/deals', { name: 'Money', ...body });
    t.is(res.status, 422, JSON.stringify(body));
    t.is(res.body.error.code, code, JSON.stringify(body));
    t.deepEqual(res.contractErrors, []);
  }
  const abc = await client.post('/deals', { name: 'Money', amount_cents: 1, currency: 'ABC' });
  t.deepEqual(abc.body.error.details.fields, [{ field: 'currency', problem: '"ABC" is not an ISO 4217 currency code' }]);
  const big = await client.post('/deals', { name: 'Whale', amount_cents: 10_000_000_000_000, currency: 'JPY' });
  t.is(big.status, 201);
  t.is(big.body.data.amount_cents, 10_000_000_000_000, 'the largest amount survives the round trip exactly');
  t.is((await client.post('/deals', { name: 'Currency only', currency: 'EUR' })).body.data.currency, 'EUR');
});

test('createDeal validates its body against the contract', async (t) => {
  const { client } = await pipelineWorkspace(h);
  for (const body of [{}, { name: '' }, { name: 'x'.repeat(201) }, { name: 'Bad stage', stage: 'Not A Key' }, { name: 'Bad date', expected_close_date: '2026-02-30' },
    { name: 'Lead', lead_id: 'lead_x' }, { name: 'Status', status: 'won' }, { name: 'Null company', company_id: null }]) {
    const res = await client.post('/deals', body);
    t.is(res.status, 422, JSON.stringify(body));
    t.is(res.body.error.code, 'validation_failed');
    t.deepEqual(res.contractErrors, []);
  }
});

test('createDeal replays an Idempotency-Key', async (t) => {
  const { client, id } = await pipelineWorkspace(h);
  const headers = { 'Idempotency-Key': 'deal-1' };
  const first = await client.post('/deals', { name: 'Once' }, { headers });
  const again = await client.post('/deals', { name: 'Once' }, { headers });
  t.is(again.status, 201);
  t.is(again.headers.get('idempotent-replayed'), 'true');
  t.deepEqual(again.body.data, first.body.data);
  t.is((await events(h, id, 'deal.created')).length, 1);
  t.is((await client.post('/deals', { name: 'Different' }, { headers })).status, 409);
});

test('deal writes need crm:write and the crm module', async (t) => {
  const reader = await pipelineWorkspace(h, { scopes: ['crm:read'] });
  const res = await reader.client.post('/deals', { name: 'Nope' });
  t.is(res.status, 403);
  t.is(res.body.error.code, 'insufficient_scope');
  const noCrm = await h.workspace({ enabled_modules: ['tasks'] });
  const blocked = await noCrm.client.post('/deals', { name: 'Nope' });
  t.is(blocked.status, 403);
  t.is(blocked.body.error.code, 'module_not_enabled');
  t.deepEqual(blocked.contractErrors, []);
});
