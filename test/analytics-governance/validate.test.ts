import test from 'ava';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import type { ApiClient } from '../helpers/client.ts';
import { CompiledPlans } from '../../modules/analytics-governance/compiled-plans.ts';
import { validateAnalyticsEvent } from '../../modules/analytics-governance/validation.ts';
import { defineEvent, defineProperty, validate, violations } from './helpers.ts';

let h: Harness;
test.before(async () => { h = await bootHarness(); });
test.after.always(async () => { await h?.close(); });

type T = Parameters<typeof defineProperty>[0];

async function orderPlan(t: T, client: ApiClient) {
  await defineProperty(t, client, { key: 'order_id', type: 'string', pattern: '^ord_[0-9]+$', required: true });
  await defineProperty(t, client, { key: 'amount', type: 'number', min: 0, max: 10000 });
  await defineProperty(t, client, { key: 'quantity', type: 'integer', min: 1 });
  await defineProperty(t, client, { key: 'currency', type: 'string', enum: ['USD', 'EUR'] });
  await defineProperty(t, client, { key: 'coupon', type: 'string', max: 10 });
  await defineProperty(t, client, { key: 'paid_at', type: 'date_time' });
  await defineProperty(t, client, { key: 'gift', type: 'boolean' });
  await defineProperty(t, client, { key: 'tags', type: 'array', max: 3, items: { type: 'string', min: 1 } });
  await defineProperty(t, client, { key: 'shipping', type: 'object', properties: { city: { type: 'string', required: true }, zip: { type: 'string', pattern: '^[0-9]{5}$' } } });
  return defineEvent(t, client, { name: 'order_completed', properties: ['order_id', 'amount', 'quantity', 'currency', 'coupon', 'paid_at', 'gift', 'tags', 'shipping'] });
}

const goodOrder = {
  order_id: 'ord_42', amount: 99.5, quantity: 2, currency: 'EUR', coupon: 'SPRING', paid_at: '2025-01-15T10:00:00Z', gift: false,
  tags: ['new'], shipping: { city: 'Lyon', zip: '69001' },
};

test('the contract\'s example validates true once its event and properties are defined', async (t) => {
  const { client } = await h.workspace();
  await defineProperty(t, client, { key: 'tenant_id', type: 'string' });
  await defineProperty(t, client, { key: 'workspace_id', type: 'string', description: 'Workspace identifier associated with the event.', required: true });
  await defineProperty(t, client, { key: 'source', type: 'string' });
  const event = await defineEvent(t, client, { name: 'first_contact_created', description: 'A workspace created its first CRM contact.', owner: 'growth', properties: ['tenant_id', 'workspace_id', 'source'] });
  const data = await validate(t, client, 'first_contact_created', { tenant_id: 'ten_123', workspace_id: 'wrk_123', source: 'mcp' });
  t.deepEqual(data, { valid: true, event_id: event.id, name: 'first_contact_created', version: 1, errors: [], truncated: false });
});

test('every violation code, with the property path and a message naming the problem', async (t) => {
  const { client } = await h.workspace();
  await orderPlan(t, client);
  t.true((await validate(t, client, 'order_completed', goodOrder)).valid);

  const data = await validate(t, client, 'order_completed', {
    amount: -5, quantity: 1.5, currency: 'GBP', coupon: 'WAY-TOO-LONG-CODE', paid_at: 'yesterday', gift: 'yes',
    tags: ['a', 'b', 'c', ''], shipping: { zip: 'abc', floor: 3 }, utm_source: 'mail',
  });
  t.false(data.valid);
  t.deepEqual(violations(data), [
    'missing_required order_id',
    'missing_required shipping.city',
    'not_allowed_value currency',
    'out_of_range amount',
    'out_of_range coupon',
    'out_of_range tags',
    'out_of_range tags.3',
    'pattern_mismatch shipping.zip',
    'unexpected_property shipping.floor',
    'unexpected_property utm_source',
    'wrong_type gift',
    'wrong_type paid_at',
    'wrong_type quantity',
  ]);
  t.true(data.errors.every((e: { severity: string }) => e.severity === 'error'));
  const message = (property: string, code: string) => data.errors.find((e: any) => e.property === property && e.code === code)?.message;
  t.is(message('order_id', 'missing_required'), 'order_id is required');
  t.is(message('utm_source', 'unexpected_property'), 'utm_source is not a property of this event');
  t.is(message('shipping.floor', 'unexpected_property'), 'shipping.floor is not a key of shipping');
  t.is(message('amount', 'out_of_range'), 'amount must be ≥ 0 (got -5)');
  t.is(message('quantity', 'wrong_type'), 'quantity must be an integer (got a number)');
  t.is(message('gift', 'wrong_type'), 'gift must be a boolean (got a string)');
  t.is(message('paid_at', 'wrong_type'), 'paid_at must be an RFC 3339 date-time (got "yesterday")');
  t.is(message('currency', 'not_allowed_value'), 'currency must be one of: "USD", "EUR" (got "GBP")');
  t.is(message('shipping.zip', 'pattern_mismatch'), 'shipping.zip must match the pattern ^[0-9]{5}$ (got "abc")');
  t.is(message('coupon', 'out_of_range'), 'coupon must be at most 10 characters long');
  t.is(message('tags', 'out_of_range'), 'tags must have at most 3 items');
});

test('a value of the wrong type is one wrong_type violation, not also an enum or range one', async (t) => {
  const { client } = await h.workspace();
  await orderPlan(t, client);
  const data = await validate(t, client, 'order_completed', { ...goodOrder, currency: 5, amount: '12', tags: 'a', shipping: [] });
  t.deepEqual(violations(data), ['wrong_type amount', 'wrong_type currency', 'wrong_type shipping', 'wrong_type tags']);
  t.is(data.errors.find((e: any) => e.property === 'shipping').message, 'shipping must be an object (got an array)');
});

test('a deprecated event validates with a deprecated_event warning that does not make the payload invalid', async (t) => {
  const { client } = await h.workspace();
  await defineProperty(t, client, { key: 'plan', type: 'string', required: true });
  await defineEvent(t, client, { name: 'legacy_signup', properties: ['plan'], status: 'deprecated' });
  const ok = await validate(t, client, 'legacy_signup', { plan: 'pro' });
  t.true(ok.valid);
  t.deepEqual(ok.errors, [{ property: null, code: 'deprecated_event', severity: 'warning', message: 'legacy_signup is deprecated; stop sending it or move to its replacement' }]);
  const bad = await validate(t, client, 'legacy_signup', {});
  t.false(bad.valid);
  t.deepEqual(violations(bad), ['deprecated_event null', 'missing_required plan']);
});

test('an undefined event answers 404 unknown_event, also for another workspace\'s event', async (t) => {
  const a = await h.workspace();
  const b = await h.workspace();
  await defineEvent(t, a.client, { name: 'only_in_a' });
  for (const [client, name] of [[a.client, 'never_defined'], [b.client, 'only_in_a']] as const) {
    const res = await client.post('/analytics/events/validate', { name, properties: {} });
    t.is(res.status, 404);
    t.deepEqual(res.contractErrors, []);
    t.is(res.body.error.code, 'not_found');
    t.deepEqual(res.body.error.details, { resource: 'analytics_event', name, violation: 'unknown_event' });
  }
  t.true((await validate(t, a.client, 'only_in_a', {})).valid);
});

test('violations are bounded: at most 100 listed, truncated tells there were more', async (t) => {
  const { client } = await h.workspace();
  await defineEvent(t, client, { name: 'empty_event' });
  const payload = Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`extra_${i}`, i]));
  const data = await validate(t, client, 'empty_event', payload);
  t.false(data.valid);
  t.is(data.errors.length, 100);
  t.true(data.truncated);
  const few = await validate(t, client, 'empty_event', { a: 1 });
  t.is(few.errors.length, 1);
  t.false(few.truncated);
  // The request itself is bounded too.
  const huge = await client.post('/analytics/events/validate', { name: 'empty_event', properties: Object.fromEntries(Array.from({ length: 501 }, (_, i) => [`k${i}`, i])) });
  t.is(huge.status, 422);
});

test('validation follows the current version; each version is compiled once per process, then served from the cache', async (t) => {
  const { id, client } = await h.workspace();
  await defineProperty(t, client, { key: 'a', type: 'string' });
  await defineProperty(t, client, { key: 'b', type: 'integer' });
  await defineEvent(t, client, { name: 'versioned_event', properties: ['a'] });
  const compiled: string[] = [];
  class Counting extends CompiledPlans {
    override compile(eventId: string, version: number, schema: object) { compiled.push(`${eventId}:${version}`); return super.compile(eventId, version, schema); }
  }
  const plans = new Counting();
  const run = (payload: Record<string, unknown>) => h.inTx(id, (ctx) => validateAnalyticsEvent(ctx, 'versioned_event', payload, plans));
  for (let i = 0; i < 5; i++) t.deepEqual(violations(await run({ b: 1 })), ['unexpected_property b']);
  t.is(compiled.length, 1);
  t.regex(compiled[0]!, /^aevt_[0-9a-z]{26}:1$/);

  await defineEvent(t, client, { name: 'versioned_event', properties: ['a', 'b'], replaces_version: 1 }, 200);
  const now = await run({ b: 1 });
  t.true(now.valid);
  t.is(now.version, 2);
  await run({ b: 'x' });
  t.is(compiled.length, 2);
  t.regex(compiled[1]!, /:2$/);
  // Over HTTP too: the API validates against version 2.
  t.is((await validate(t, client, 'versioned_event', { b: 1 })).version, 2);
});

test('a client validating locally with the served json_schema reaches the same verdicts', async (t) => {
  const { client } = await h.workspace();
  const event = await orderPlan(t, client);
  // An independent Ajv, as a client would build one (any 2020-12 validator would do).
  const ajv = new Ajv2020({ allErrors: true });
  (addFormatsModule as unknown as (a: Ajv2020) => void)(ajv);
  const local = ajv.compile(event.json_schema);
  const payloads = [
    goodOrder,
    { ...goodOrder, order_id: 'ORD-1' },
    { ...goodOrder, quantity: 0 },
    { ...goodOrder, shipping: { city: 'Paris', zip: '750' } },
    { ...goodOrder, paid_at: '2025-01-15' },
    { ...goodOrder, tags: [] },
    { order_id: 'ord_1' },
  ];
  for (const payload of payloads) {
    const server = await validate(t, client, 'order_completed', payload);
    t.is(local(payload), server.valid, JSON.stringify(payload));
  }
});

test('malformed validation requests answer 422; the read scope is enough, the write scope is not', async (t) => {
  const { client } = await h.workspace();
  for (const body of [{}, { name: '' }, { name: 'x', properties: [] }, { name: 'x', properties: 'a' }, { name: 'x', extra: 1 }]) {
    const res = await client.post('/analytics/events/validate', body);
    t.is(res.status, 422, JSON.stringify(body));
    t.deepEqual(res.contractErrors, []);
  }
  const writer = await h.workspace({ scopes: ['analytics:write'] });
  const denied = await writer.client.post('/analytics/events/validate', { name: 'x' });
  t.is(denied.status, 403);
  const reader = await h.workspace({ scopes: ['analytics:read'] });
  const missing = await reader.client.post('/analytics/events/validate', { name: 'x' });
  t.is(missing.status, 404);
});

test('keys named like Object.prototype members (constructor) are looked up on the payload only', async (t) => {
  const { client } = await h.workspace();
  await defineProperty(t, client, { key: 'constructor', type: 'string' });
  await defineProperty(t, client, { key: 'meta', type: 'object', properties: { constructor: { type: 'integer' } } });
  const event = await defineEvent(t, client, { name: 'odd_keys', properties: ['constructor', 'meta'] });
  t.deepEqual(event.required_properties, []);
  t.true((await validate(t, client, 'odd_keys', {})).valid);
  t.true((await validate(t, client, 'odd_keys', { meta: {} })).valid);
  t.deepEqual(violations(await validate(t, client, 'odd_keys', { constructor: 1, meta: { constructor: 'x' } })), ['wrong_type constructor', 'wrong_type meta.constructor']);
});

test('a payload of more than 10,000 values answers 422 before any validation', async (t) => {
  const { client } = await h.workspace();
  await defineProperty(t, client, { key: 'scores', type: 'array', items: { type: 'integer', min: 5 } });
  await defineEvent(t, client, { name: 'scored', properties: ['scores'] });
  const atLimit = await validate(t, client, 'scored', { scores: Array.from({ length: 9_999 }, () => 1) });
  t.is(atLimit.errors.length, 100);
  t.true(atLimit.truncated);
  const over = await client.post('/analytics/events/validate', { name: 'scored', properties: { scores: Array.from({ length: 10_000 }, () => 1) } });
  t.is(over.status, 422);
  t.deepEqual(over.contractErrors, []);
  t.deepEqual(over.body.error.details.fields, [{ field: 'properties', problem: 'carries more than 10000 values (nested ones included)' }]);
});
