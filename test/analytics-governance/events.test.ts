import test from 'ava';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import type { ApiClient } from '../helpers/client.ts';
import { defineEvent, defineProperty } from './helpers.ts';

let h: Harness;
test.before(async () => { h = await bootHarness(); });
test.after.always(async () => { await h?.close(); });

const outbox = (workspaceId: string, resourceId: string) =>
  h.sql<{ type: string; payload: any }>('select type, payload from outbox_events where workspace_id = ? and resource_id = ? order by id', [workspaceId, resourceId]);

async function seedProperties(t: Parameters<typeof defineProperty>[0], client: ApiClient) {
  await defineProperty(t, client, { key: 'tenant_id', type: 'string' });
  await defineProperty(t, client, { key: 'workspace_id', type: 'string', description: 'Workspace identifier associated with the event.', required: true });
  await defineProperty(t, client, { key: 'source', type: 'string', enum: ['api', 'mcp', 'ui'] });
}

test('defineAnalyticsEvent answers 201 with version 1, its compiled JSON Schema, and records analytics_event.created', async (t) => {
  const { id, client } = await h.workspace();
  await seedProperties(t, client);
  const event = await defineEvent(t, client, {
    name: 'first_contact_created', description: 'A workspace created its first CRM contact.', owner: 'growth', properties: ['tenant_id', 'workspace_id', 'source'],
  });
  t.regex(event.id, /^aevt_[0-9a-z]{26}$/);
  t.like(event, { name: 'first_contact_created', owner: 'growth', status: 'active', version: 1 });
  t.deepEqual(event.properties, ['tenant_id', 'workspace_id', 'source']);
  t.deepEqual(event.required_properties, ['workspace_id']);
  t.deepEqual(event.required_overrides, {});
  t.deepEqual(event.json_schema, {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'first_contact_created',
    description: 'A workspace created its first CRM contact.',
    type: 'object',
    properties: {
      tenant_id: { type: 'string' },
      workspace_id: { type: 'string', description: 'Workspace identifier associated with the event.' },
      source: { type: 'string', enum: ['api', 'mcp', 'ui'] },
    },
    required: ['workspace_id'],
    additionalProperties: false,
  });
  // Stored as compiled, key order included (what list answers later).
  const listed = (await client.get('/analytics/events')).body.data[0];
  t.is(JSON.stringify(listed.json_schema), JSON.stringify(event.json_schema));
  t.deepEqual((await outbox(id, event.id)).map((e) => e.type), ['analytics_event.created']);

  const bare = await defineEvent(t, client, { name: 'app_opened' });
  t.like(bare, { description: null, owner: null, status: 'active', version: 1 });
  t.deepEqual(bare.properties, []);
});

test('per-event overrides make a property required or optional for that event only', async (t) => {
  const { client } = await h.workspace();
  await seedProperties(t, client);
  const event = await defineEvent(t, client, {
    name: 'signup_completed', properties: ['tenant_id', 'workspace_id', 'source'], required_overrides: { tenant_id: true, workspace_id: false },
  });
  t.deepEqual(event.required_properties, ['tenant_id']);
  t.deepEqual(event.required_overrides, { tenant_id: true, workspace_id: false });
  t.deepEqual(event.json_schema.required, ['tenant_id']);

  const stray = await client.post('/analytics/events', { name: 'other_event', properties: ['tenant_id'], required_overrides: { source: true } });
  t.is(stray.status, 422);
  t.deepEqual(stray.contractErrors, []);
  t.deepEqual(stray.body.error.details.fields, [{ field: 'required_overrides.source', problem: 'is not one of the event\'s properties' }]);
});

test('undefined property keys answer 422 naming each; names must be snake_case; duplicates answer 409 with the existing id', async (t) => {
  const { id, client } = await h.workspace();
  await seedProperties(t, client);
  const unknown = await client.post('/analytics/events', { name: 'page_viewed', properties: ['source', 'url', 'referrer'] });
  t.is(unknown.status, 422);
  t.deepEqual(unknown.contractErrors, []);
  t.deepEqual(unknown.body.error.details.fields, [
    { field: 'properties.1', problem: 'is not a defined analytics property ("url")' },
    { field: 'properties.2', problem: 'is not a defined analytics property ("referrer")' },
  ]);
  for (const name of ['PageViewed', 'page-viewed', 'page.viewed', 'page__viewed', '_page', 'page_', '1page', '']) {
    const res = await client.post('/analytics/events', { name });
    t.is(res.status, 422, name);
    t.is(res.body.error.details.fields[0].field, 'name', name);
  }
  const first = await defineEvent(t, client, { name: 'page_viewed', properties: ['source'] });
  const dup = await client.post('/analytics/events', { name: 'page_viewed' });
  t.is(dup.status, 409);
  t.deepEqual(dup.contractErrors, []);
  t.is(dup.body.error.code, 'already_exists');
  t.like(dup.body.error.details, { resource: 'analytics_event', field: 'name', existing_id: first.id, current_version: 1 });
  t.deepEqual((await h.sql('select count(*)::int as n from analytics_events where workspace_id = ?', [id]))[0].n, 1);
});

test('redefining an event bumps its version on every change, answers 200, and deprecating it records analytics_event.deprecated', async (t) => {
  const { id, client } = await h.workspace();
  await seedProperties(t, client);
  const v1 = await defineEvent(t, client, { name: 'report_exported', owner: 'bi', properties: ['workspace_id'] });

  const v2 = await defineEvent(t, client, { name: 'report_exported', owner: 'bi', properties: ['workspace_id', 'source'], replaces_version: 1 }, 200);
  t.like(v2, { id: v1.id, version: 2 });
  t.deepEqual(Object.keys(v2.json_schema.properties), ['workspace_id', 'source']);

  const unchanged = await defineEvent(t, client, { name: 'report_exported', owner: 'bi', properties: ['workspace_id', 'source'], replaces_version: 2 }, 200);
  t.is(unchanged.version, 2);
  t.is(unchanged.updated_at, v2.updated_at);

  const v3 = await defineEvent(t, client, { name: 'report_exported', owner: 'bi', properties: ['workspace_id', 'source'], status: 'deprecated', replaces_version: 2 }, 200);
  t.like(v3, { version: 3, status: 'deprecated' });
  t.true(v3.json_schema.deprecated);

  const v4 = await defineEvent(t, client, { name: 'report_exported', owner: 'bi', properties: ['workspace_id', 'source'], required_overrides: { source: true }, status: 'deprecated', replaces_version: 3 }, 200);
  t.is(v4.version, 4);
  t.deepEqual(v4.required_properties, ['workspace_id', 'source']);

  const stale = await client.post('/analytics/events', { name: 'report_exported', replaces_version: 3 });
  t.is(stale.status, 409);
  t.deepEqual(stale.contractErrors, []);
  t.is(stale.body.error.code, 'version_conflict');
  t.like(stale.body.error.details, { existing_id: v1.id, current_version: 4 });

  const missing = await client.post('/analytics/events', { name: 'never_defined', replaces_version: 1 });
  t.is(missing.status, 422);
  t.is(missing.body.error.details.field, 'replaces_version');

  const events = await outbox(id, v1.id);
  t.deepEqual(events.map((e) => [e.type, e.payload.version]), [
    ['analytics_event.created', 1], ['analytics_event.updated', 2], ['analytics_event.updated', 3], ['analytics_event.deprecated', 3], ['analytics_event.updated', 4],
  ]);
  t.deepEqual(events[1]!.payload.changed_fields, ['properties', 'json_schema']);
  t.deepEqual(events[2]!.payload.changed_fields, ['status', 'json_schema']);
});

test('redefining a property makes a new version of every event carrying it, with the recompiled schema', async (t) => {
  const { id, client } = await h.workspace();
  await seedProperties(t, client);
  const carrying = await defineEvent(t, client, { name: 'checkout_started', properties: ['source', 'tenant_id'] });
  const pinned = await defineEvent(t, client, { name: 'checkout_done', properties: ['source'], required_overrides: { source: true } });
  const other = await defineEvent(t, client, { name: 'unrelated', properties: ['tenant_id'] });

  await defineProperty(t, client, { key: 'source', type: 'string', enum: ['api', 'mcp', 'ui', 'cli'], required: true, replaces_version: 1 }, 200);
  const byName = Object.fromEntries((await client.get('/analytics/events')).body.data.map((e: any) => [e.name, e]));
  t.is(byName.checkout_started.version, 2);
  t.deepEqual(byName.checkout_started.json_schema.properties.source.enum, ['api', 'mcp', 'ui', 'cli']);
  t.deepEqual(byName.checkout_started.required_properties, ['source']);
  t.is(byName.checkout_done.version, 2);
  t.deepEqual(byName.checkout_done.required_properties, ['source']);
  t.is(byName.unrelated.version, 1);
  t.deepEqual((await outbox(id, carrying.id)).map((e) => [e.type, e.payload.version]), [['analytics_event.created', 1], ['analytics_event.updated', 2]]);
  t.deepEqual((await outbox(id, other.id)).map((e) => e.type), ['analytics_event.created']);

  // Changing only the default that an event overrides changes nothing the event sees... except
  // the property's own version; the pinned event stays, the other recompiles.
  await defineProperty(t, client, { key: 'source', type: 'string', enum: ['api', 'mcp', 'ui', 'cli'], required: false, replaces_version: 2 }, 200);
  const after = Object.fromEntries((await client.get('/analytics/events')).body.data.map((e: any) => [e.name, e]));
  t.is(after.checkout_done.version, 2);
  t.is(after.checkout_started.version, 3);
  t.deepEqual(after.checkout_started.required_properties, []);
  t.is(pinned.id, after.checkout_done.id);
});

test('listAnalyticsEvents orders by name, searches name and description, filters by owner and status, and pages', async (t) => {
  const { client } = await h.workspace();
  await defineEvent(t, client, { name: 'zeta_clicked', owner: 'web', description: 'Clicked the Zeta button' });
  await defineEvent(t, client, { name: 'alpha_opened', owner: 'growth' });
  await defineEvent(t, client, { name: 'mid_viewed', owner: 'growth', description: 'A 100% pure_search test', status: 'deprecated' });
  const names = async (query: string) => {
    const res = await client.get(`/analytics/events${query}`);
    t.is(res.status, 200, query);
    t.deepEqual(res.contractErrors, []);
    return res.body.data.map((e: { name: string }) => e.name);
  };
  t.deepEqual(await names(''), ['alpha_opened', 'mid_viewed', 'zeta_clicked']);
  t.deepEqual(await names('?query=ZETA'), ['zeta_clicked']);
  t.deepEqual(await names('?query=opened'), ['alpha_opened']);
  t.deepEqual(await names('?query=100%25'), ['mid_viewed']);
  t.deepEqual(await names('?query=e_s'), ['mid_viewed']);
  t.deepEqual(await names('?owner=growth'), ['alpha_opened', 'mid_viewed']);
  t.deepEqual(await names('?owner=Growth'), []);
  t.deepEqual(await names('?status=deprecated'), ['mid_viewed']);
  t.deepEqual(await names('?status=active&owner=growth'), ['alpha_opened']);

  const first = await client.get('/analytics/events?limit=2');
  t.deepEqual(first.body.data.map((e: { name: string }) => e.name), ['alpha_opened', 'mid_viewed']);
  t.truthy(first.body.next_cursor);
  const second = await client.get(`/analytics/events?limit=2&cursor=${encodeURIComponent(first.body.next_cursor)}`);
  t.deepEqual(second.body.data.map((e: { name: string }) => e.name), ['zeta_clicked']);
  t.is(second.body.next_cursor, null);

  const bad = await client.get('/analytics/events?status=retired');
  t.is(bad.status, 422);
  const tampered = await client.get(`/analytics/events?cursor=${encodeURIComponent(first.body.next_cursor)}x`);
  t.is(tampered.status, 422);
  t.is(tampered.body.error.code, 'invalid_cursor');
});

test('the plan is per workspace: another workspace never sees, uses or changes it', async (t) => {
  const a = await h.workspace();
  const b = await h.workspace();
  await defineProperty(t, a.client, { key: 'secret_prop', type: 'string' });
  const ea = await defineEvent(t, a.client, { name: 'private_event', properties: ['secret_prop'] });
  t.deepEqual((await b.client.get('/analytics/events')).body.data, []);
  t.deepEqual((await b.client.get('/analytics/events?query=private')).body.data, []);
  // b cannot carry a's property, and defining the same name in b is a separate event.
  const carry = await b.client.post('/analytics/events', { name: 'uses_secret', properties: ['secret_prop'] });
  t.is(carry.status, 422);
  const eb = await defineEvent(t, b.client, { name: 'private_event' });
  t.not(eb.id, ea.id);
  // Redefining a's property name in b does not touch a's event.
  await defineProperty(t, b.client, { key: 'secret_prop', type: 'integer' });
  t.is((await a.client.get('/analytics/events')).body.data[0].version, 1);
  // A cursor of a's list is refused in b.
  await defineEvent(t, a.client, { name: 'second_event' });
  const page = await a.client.get('/analytics/events?limit=1');
  const foreign = await b.client.get(`/analytics/events?limit=1&cursor=${encodeURIComponent(page.body.next_cursor)}`);
  t.is(foreign.status, 422);
  t.is(foreign.body.error.code, 'invalid_cursor');
});

test('concurrent redefinitions of one version: exactly one wins, the others answer 409 version_conflict', async (t) => {
  const { id, client } = await h.workspace();
  await defineProperty(t, client, { key: 'source', type: 'string' });
  await defineEvent(t, client, { name: 'race_event' });
  const results = await Promise.all(Array.from({ length: 5 }, (_, i) =>
    client.post('/analytics/events', { name: 'race_event', description: `writer ${i}`, properties: ['source'], replaces_version: 1 })));
  t.deepEqual(results.map((r) => r.status).sort(), [200, 409, 409, 409, 409]);
  for (const r of results.filter((x) => x.status === 409)) t.is(r.body.error.code, 'version_conflict');
  const [row] = await h.sql('select version from analytics_events where workspace_id = ? and name = ?', [id, 'race_event']);
  t.is(row.version, 2);
});

test('property and event redefinitions racing each other never fail or leave an event compiled from a stale property', async (t) => {
  const { id, client } = await h.workspace();
  await defineProperty(t, client, { key: 'p', type: 'string' });
  await defineProperty(t, client, { key: 'q', type: 'string' });
  const names = ['race_a', 'race_b', 'race_c', 'race_d'];
  for (const name of names) await defineEvent(t, client, { name, properties: ['p', 'q'] });
  const results = await Promise.all([
    client.post('/analytics/properties', { key: 'p', type: 'string', enum: ['x'], replaces_version: 1 }),
    client.post('/analytics/properties', { key: 'q', type: 'integer', replaces_version: 1 }),
    ...names.map((name) => client.post('/analytics/events', { name, description: 'changed', properties: ['q', 'p'], replaces_version: 1 })),
  ]);
  for (const r of results) t.true(r.status === 200 || (r.status === 409 && r.body.error.code === 'version_conflict'), JSON.stringify(r.body));
  t.is(results[0]!.status, 200);
  t.is(results[1]!.status, 200);
  const events = await h.sql<{ name: string; json_schema: any }>('select name, json_schema from analytics_events where workspace_id = ? order by name', [id]);
  for (const e of events) {
    t.deepEqual(e.json_schema.properties.p, { type: 'string', enum: ['x'] }, e.name);
    t.deepEqual(e.json_schema.properties.q, { type: 'integer' }, e.name);
  }
});
