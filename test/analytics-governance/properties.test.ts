import test from 'ava';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { defineProperty } from './helpers.ts';

let h: Harness;
test.before(async () => { h = await bootHarness(); });
test.after.always(async () => { await h?.close(); });

const outbox = (workspaceId: string) =>
  h.sql<{ type: string; resource_id: string; payload: any }>('select type, resource_id, payload from outbox_events where workspace_id = ? order by id', [workspaceId]);

test('defineAnalyticsProperty answers 201 with version 1, every constraint field, and records analytics_property.created', async (t) => {
  const { id, client } = await h.workspace();
  const plain = await defineProperty(t, client, { key: 'workspace_id', type: 'string', description: 'Workspace identifier associated with the event.', required: true });
  t.regex(plain.id, /^prop_[0-9a-z]{26}$/);
  t.like(plain, { key: 'workspace_id', type: 'string', required: true, version: 1, enum: null, pattern: null, min: null, max: null, items: null, properties: null });
  t.is(plain.created_at, plain.updated_at);

  const bare = await defineProperty(t, client, { key: 'source', type: 'string' });
  t.like(bare, { description: null, required: false });

  const cart = await defineProperty(t, client, {
    key: 'cart', type: 'object', properties: {
      total: { type: 'number', min: 0 },
      items: { type: 'array', max: 50, items: { type: 'object', properties: { sku: { type: 'string', pattern: '^[A-Z]{3}-[0-9]+$', required: true } } } },
    },
  });
  t.deepEqual(cart.properties.total, { type: 'number', description: null, required: false, enum: null, pattern: null, min: 0, max: null, items: null, properties: null });
  t.is(cart.properties.items.max, 50);
  t.is(cart.properties.items.items.properties.sku.required, true);
  t.is(cart.properties.items.items.properties.sku.pattern, '^[A-Z]{3}-[0-9]+$');

  const events = await outbox(id);
  t.deepEqual(events.map((e) => e.type), ['analytics_property.created', 'analytics_property.created', 'analytics_property.created']);
  t.is(events[0]!.payload.id, plain.id);
});

test('a duplicate key answers 409 already_exists with the existing id and version, and changes nothing', async (t) => {
  const { id, client } = await h.workspace();
  const first = await defineProperty(t, client, { key: 'plan', type: 'string', enum: ['free', 'pro'] });
  const dup = await client.post('/analytics/properties', { key: 'plan', type: 'integer' });
  t.is(dup.status, 409);
  t.deepEqual(dup.contractErrors, []);
  t.is(dup.body.error.code, 'already_exists');
  t.like(dup.body.error.details, { resource: 'analytics_property', field: 'key', existing_id: first.id, current_version: 1 });
  const [row] = await h.sql('select type, version from analytics_properties where id = ?', [first.id]);
  t.deepEqual(row, { type: 'string', version: 1 });
  t.is((await outbox(id)).length, 1);
});

test('inconsistent constraints answer 422 naming each offending field', async (t) => {
  const { id, client } = await h.workspace();
  const cases: [Record<string, unknown>, string[]][] = [
    [{ type: 'string', pattern: '([a-z' }, ['pattern']],
    [{ type: 'string', pattern: '(?<=a)\\k<nope>' }, ['pattern']],
    [{ type: 'string', pattern: '^(a+)+$' }, ['pattern']],
    [{ type: 'number', min: 10, max: 1 }, ['min']],
    [{ type: 'string', min: 5, max: 2 }, ['min']],
    [{ type: 'string', min: 1.5 }, ['min']],
    [{ type: 'array', max: -1 }, ['max']],
    [{ type: 'integer', enum: [1, 'two', 3.5] }, ['enum.1', 'enum.2']],
    [{ type: 'string', enum: ['ok', 7] }, ['enum.1']],
    [{ type: 'number', min: 0, max: 10, enum: [5, 11] }, ['enum.1']],
    [{ type: 'string', pattern: '^[a-z]+$', enum: ['fine', 'NOT'] }, ['enum.1']],
    [{ type: 'boolean', enum: ['true'] }, ['enum']],
    [{ type: 'number', pattern: '^1$' }, ['pattern']],
    [{ type: 'boolean', min: 1 }, ['min']],
    [{ type: 'date_time', max: 3 }, ['max']],
    [{ type: 'string', items: { type: 'string' } }, ['items']],
    [{ type: 'array', properties: { a: { type: 'string' } } }, ['properties']],
    [{ type: 'array', items: { type: 'string', required: true } }, ['items.required']],
    [{ type: 'object', properties: { zip: { type: 'string', min: 9, max: 5 }, n: { type: 'integer', enum: [1.5] } } }, ['properties.n.enum.0', 'properties.zip.min']],
    [{ type: 'array', items: { type: 'array', items: { type: 'array', items: { type: 'array', items: { type: 'string' } } } } }, ['items.items.items.items']],
  ];
  for (const [body, fields] of cases) {
    const res = await client.post('/analytics/properties', { key: 'p', ...body });
    t.is(res.status, 422, JSON.stringify(body));
    t.deepEqual(res.contractErrors, []);
    t.is(res.body.error.code, 'validation_failed');
    t.deepEqual(res.body.error.details.fields.map((f: { field: string }) => f.field).sort(), fields, JSON.stringify(body));
  }
  // The problem says why: the compiler's message, the backtracking risk, the bound.
  const problem = async (body: Record<string, unknown>) => (await client.post('/analytics/properties', { key: 'p', ...body })).body.error.details.fields[0].problem;
  t.regex(await problem({ type: 'string', pattern: '([a-z' }), /does not compile/);
  t.regex(await problem({ type: 'string', pattern: '^(a+)+$' }), /backtrack catastrophically/);
  t.regex(await problem({ type: 'number', min: 10, max: 1 }), /must not exceed max \(1\)/);
  t.regex(await problem({ type: 'integer', enum: ['two'] }), /must be an integer/);
  t.deepEqual(await h.sql('select id from analytics_properties where workspace_id = ?', [id]), []);
});

test('the schema itself refuses malformed definitions with 422 (keys, types, sizes)', async (t) => {
  const { client } = await h.workspace();
  const cases: [unknown, string][] = [
    [{ type: 'string' }, 'key'],
    [{ key: 'Bad-Key', type: 'string' }, 'key'],
    [{ key: 'k', type: 'uuid' }, 'type'],
    [{ key: 'k', type: 'string', enum: [] }, 'enum'],
    [{ key: 'k', type: 'string', enum: ['a', 'a'] }, 'enum'],
    [{ key: 'k', type: 'string', enum: [true] }, 'enum.0'],
    [{ key: 'k', type: 'string', pattern: 'x'.repeat(501) }, 'pattern'],
    [{ key: 'k', type: 'object', properties: { 'Bad Key': { type: 'string' } } }, 'properties'],
    [{ key: 'k', type: 'object', properties: { a: { type: 'string', unknown: 1 } } }, 'properties.a.unknown'],
    [{ key: 'k', type: 'string', replaces_version: 0 }, 'replaces_version'],
  ];
  for (const [body, field] of cases) {
    const res = await client.post('/analytics/properties', body);
    t.is(res.status, 422, JSON.stringify(body));
    t.deepEqual(res.contractErrors, []);
    t.true(res.body.error.details.fields.some((f: { field: string }) => f.field === field), `${JSON.stringify(body)} → ${JSON.stringify(res.body.error.details.fields)}`);
  }
});

test('redefining with replaces_version makes the next version; unchanged keeps it; stale or missing versions are refused', async (t) => {
  const { id, client } = await h.workspace();
  const v1 = await defineProperty(t, client, { key: 'plan', type: 'string', enum: ['free', 'pro'] });

  const v2 = await defineProperty(t, client, { key: 'plan', type: 'string', enum: ['free', 'pro', 'enterprise'], description: 'Billing plan', replaces_version: 1 }, 200);
  t.like(v2, { id: v1.id, version: 2, description: 'Billing plan' });
  t.deepEqual(v2.enum, ['free', 'pro', 'enterprise']);
  t.not(v2.updated_at, v1.updated_at);

  const same = await defineProperty(t, client, { key: 'plan', type: 'string', enum: ['free', 'pro', 'enterprise'], description: 'Billing plan', replaces_version: 2 }, 200);
  t.is(same.version, 2);
  t.is(same.updated_at, v2.updated_at);

  const stale = await client.post('/analytics/properties', { key: 'plan', type: 'string', replaces_version: 1 });
  t.is(stale.status, 409);
  t.deepEqual(stale.contractErrors, []);
  t.is(stale.body.error.code, 'version_conflict');
  t.like(stale.body.error.details, { existing_id: v1.id, current_version: 2, field: 'replaces_version' });

  const nothing = await client.post('/analytics/properties', { key: 'missing', type: 'string', replaces_version: 1 });
  t.is(nothing.status, 422);
  t.is(nothing.body.error.code, 'rule_violation');
  t.is(nothing.body.error.details.field, 'replaces_version');

  // A redefinition is the whole definition: constraints left out are dropped.
  const v3 = await defineProperty(t, client, { key: 'plan', type: 'string', replaces_version: 2 }, 200);
  t.like(v3, { version: 3, enum: null, description: null });

  const updates = (await outbox(id)).filter((e) => e.type === 'analytics_property.updated');
  t.deepEqual(updates.map((e) => [e.payload.version, e.payload.changed_fields]), [[2, ['description', 'enum']], [3, ['description', 'enum']]]);
});

test('an Idempotency-Key replays a redefinition\'s 200 without making another version', async (t) => {
  const { client } = await h.workspace();
  await defineProperty(t, client, { key: 'plan', type: 'string' });
  const body = { key: 'plan', type: 'string', description: 'v2', replaces_version: 1 };
  const first = await client.post('/analytics/properties', body, { headers: { 'Idempotency-Key': 'redefine-plan' } });
  t.is(first.status, 200);
  const again = await client.post('/analytics/properties', body, { headers: { 'Idempotency-Key': 'redefine-plan' } });
  t.is(again.status, 200);
  t.is(again.headers.get('idempotent-replayed'), 'true');
  t.deepEqual(again.body.data, first.body.data);
  const [row] = await h.sql('select version from analytics_properties where key = ? and id = ?', ['plan', first.body.data.id]);
  t.is(row.version, 2);
});

test('concurrent definitions of one key make exactly one property; the others answer 409', async (t) => {
  const { client } = await h.workspace();
  const results = await Promise.all(Array.from({ length: 6 }, () => client.post('/analytics/properties', { key: 'race', type: 'string' })));
  t.deepEqual(results.map((r) => r.status).sort(), [201, 409, 409, 409, 409, 409]);
  const winner = results.find((r) => r.status === 201)!.body.data.id;
  for (const r of results.filter((x) => x.status === 409)) t.is(r.body.error.details.existing_id, winner);
});

test('properties are per workspace: the same key is free in another workspace, and scopes apply', async (t) => {
  const a = await h.workspace();
  const b = await h.workspace();
  const pa = await defineProperty(t, a.client, { key: 'shared_key', type: 'string' });
  const pb = await defineProperty(t, b.client, { key: 'shared_key', type: 'integer' });
  t.not(pa.id, pb.id);
  const redefineForeign = await b.client.post('/analytics/properties', { key: 'shared_key', type: 'boolean', replaces_version: 1 });
  t.is(redefineForeign.status, 200);
  const [rowA] = await h.sql('select type, version from analytics_properties where id = ?', [pa.id]);
  t.deepEqual(rowA, { type: 'string', version: 1 });

  const reader = await h.workspace({ scopes: ['analytics:read'] });
  const denied = await reader.client.post('/analytics/properties', { key: 'x', type: 'string' });
  t.is(denied.status, 403);
  t.is(denied.body.error.code, 'insufficient_scope');
  const disabled = await h.workspace({ enabled_modules: ['crm'] });
  const off = await disabled.client.post('/analytics/properties', { key: 'x', type: 'string' });
  t.is(off.status, 403);
  t.is(off.body.error.code, 'module_not_enabled');
});
