// The event catalog: built-in types from every module's manifest (with the JSON Schema of their
// data from the contract), custom types per workspace, filters and key-ordered pages.
import test from 'ava';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { registry } from '../../app/modules.ts';
import { bootHarness, type Harness } from '../helpers/harness.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
let h: Harness;
test.before(async () => { h = await bootHarness(); });
test.after.always(async () => { await h?.close(); });

/** Every page of the list, following next_cursor. */
async function all(client: Awaited<ReturnType<Harness['workspace']>>['client'], query = '', limit = 100) {
  const items: any[] = [];
  let cursor: string | null = null;
  do {
    const res: { status: number; body: any; contractErrors: string[] } = await client.get(`/integrations/events?limit=${limit}${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    if (res.status !== 200 || res.contractErrors.length) throw new Error(`${res.status} ${JSON.stringify(res.body)} ${res.contractErrors}`);
    items.push(...res.body.data);
    cursor = res.body.next_cursor;
  } while (cursor);
  return items;
}

test('the built-in types are exactly the manifests\' events, with category, description and a payload schema from the contract', async (t) => {
  const { client } = await h.workspace();
  const listed = await all(client);
  t.deepEqual(listed.map((e) => e.key), registry.events.map((e) => e.type).sort((a, b) => (a < b ? -1 : 1)));
  const contact = listed.find((e) => e.key === 'contact.created');
  t.like(contact, { id: 'iet_contact-created', category: 'crm', source: 'builtin', description: registry.events.find((e) => e.type === 'contact.created')!.description });
  t.is(listed.find((e) => e.key === 'activity.created').category, 'activity_log', 'module names become machine keys');
  // The schema validates the data of a real contact.created event, and refuses something else.
  const ajv = addFormats(new Ajv2020({ strict: false }));
  const validate = ajv.compile(contact.payload_schema);
  const created = (await client.post('/contacts', { name: 'Schema Check', email: 'schema@example.com' })).body.data;
  t.true(validate(created), JSON.stringify(validate.errors));
  t.false(validate({ id: 42 }));
  // An inline schema from a manifest is served as is.
  const stageChanged = listed.find((e) => e.key === 'deal.stage_changed');
  t.deepEqual(stageChanged.payload_schema.required, ['deal_id', 'from', 'to', 'status', 'closed_at']);
});

test('category and query filter the list; pages follow the key order without repeats', async (t) => {
  const { client } = await h.workspace();
  const crm = await all(client, '&category=crm');
  t.true(crm.length > 5);
  t.true(crm.every((e) => e.category === 'crm'));
  const deals = await all(client, '&query=DEAL');
  t.true(deals.length > 0);
  t.true(deals.every((e) => e.key.includes('deal') || e.description.toLowerCase().includes('deal')));
  const paged = await all(client, '', 3);
  const whole = await all(client);
  t.deepEqual(paged.map((e) => e.key), whole.map((e) => e.key));
  const bad = await client.get('/integrations/events?category=Not-A-Key');
  t.is(bad.status, 422);
  t.deepEqual(bad.contractErrors, []);
});

test('a custom type is registered once per workspace: 201, then 409 with the existing id; built-in keys are taken', async (t) => {
  const { client, id } = await h.workspace();
  const other = await h.workspace();
  const schema = { type: 'object', properties: { url: { type: 'string' } }, required: ['url'] };
  const res = await client.post('/integrations/events', { key: 'external.publish.completed', category: 'publishing', description: 'Published elsewhere.', payload_schema: schema });
  t.is(res.status, 201);
  t.deepEqual(res.contractErrors, []);
  t.like(res.body.data, { key: 'external.publish.completed', category: 'publishing', source: 'custom', description: 'Published elsewhere.', payload_schema: schema });
  t.regex(res.body.data.id, /^iet_[0-9a-z]{26}$/);

  const dup = await client.post('/integrations/events', { key: 'external.publish.completed', category: 'other' });
  t.is(dup.status, 409);
  t.deepEqual(dup.contractErrors, []);
  t.like(dup.body.error, { code: 'already_exists', details: { field: 'key', existing_id: res.body.data.id } });
  const builtin = await client.post('/integrations/events', { key: 'contact.created', category: 'crm' });
  t.is(builtin.status, 409);
  t.is(builtin.body.error.details.existing_id, 'iet_contact-created');

  const listed = await all(client, '&category=publishing');
  t.deepEqual(listed.map((e) => [e.key, e.source]), [['external.publish.completed', 'custom']]);
  t.deepEqual(await all(other.client, '&category=publishing'), [], 'another workspace does not see it');
  t.is((await other.client.post('/integrations/events', { key: 'external.publish.completed', category: 'publishing' })).status, 201);
  const events = await h.sql(`select type, resource_id from outbox_events where workspace_id = ? and type = 'integration_event_type.created'`, [id]);
  t.deepEqual(events, [{ type: 'integration_event_type.created', resource_id: res.body.data.id }]);
});

test('registration validates the key, the category and the payload schema, naming the field', async (t) => {
  const { client } = await h.workspace();
  for (const [body, field] of [
    [{ key: 'nodots', category: 'x' }, 'key'],
    [{ key: 'Upper.Case', category: 'x' }, 'key'],
    [{ key: 'a.b', category: 'Bad Category' }, 'category'],
    [{ key: 'a.b', category: 'x', payload_schema: { type: 'no-such-type' } }, 'payload_schema'],
  ] as const) {
    const res = await client.post('/integrations/events', body);
    t.is(res.status, 422, JSON.stringify(body));
    t.deepEqual(res.contractErrors, []);
    t.true(res.body.error.details.fields.some((f: any) => f.field === field), JSON.stringify(res.body.error));
  }
});

test('a replayed registration (Idempotency-Key) answers the first response and registers nothing new', async (t) => {
  const { client, id } = await h.workspace();
  const headers = { 'Idempotency-Key': 'register-once' };
  const first = await client.post('/integrations/events', { key: 'build.finished', category: 'ci' }, { headers });
  const again = await client.post('/integrations/events', { key: 'build.finished', category: 'ci' }, { headers });
  t.is(again.status, 201);
  t.is(again.headers.get('idempotent-replayed'), 'true');
  t.is(again.body.data.id, first.body.data.id);
  t.is((await h.sql('select count(*)::int n from integration_event_types where workspace_id = ?', [id]))[0].n, 1);
});
