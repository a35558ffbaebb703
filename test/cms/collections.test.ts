import test from 'ava';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { cmsReader } from './helpers.ts';

let h: Harness;
test.before(async () => { h = await bootHarness(); });
test.after.always(async () => { await h?.close(); });

test('createCmsCollection answers 201 with every field property filled in and emits cms_collection.created', async (t) => {
  const { id, client } = await h.workspace();
  const res = await client.post('/cms/collections', {
    name: 'Blog Posts', key: 'blog_posts',
    schema: { fields: [{ key: 'title', type: 'string', required: true }, { key: 'slug', type: 'string', required: true, label: 'Slug' }, { key: 'body', type: 'markdown', description: 'The post' }] },
  });
  t.is(res.status, 201);
  t.deepEqual(res.contractErrors, []);
  t.regex(res.body.data.id, /^col_[0-9a-z]{26}$/);
  t.like(res.body.data, { key: 'blog_posts', name: 'Blog Posts', description: null });
  t.deepEqual(res.body.data.schema.fields, [
    { key: 'title', type: 'string', required: true, label: null, description: null },
    { key: 'slug', type: 'string', required: true, label: 'Slug', description: null },
    { key: 'body', type: 'markdown', required: false, label: null, description: 'The post' },
  ]);
  t.deepEqual(await cmsReader(h).eventTypes(id, res.body.data.id), ['cms_collection.created']);

  const bare = await client.post('/cms/collections', { name: 'Pages', key: 'pages' });
  t.is(bare.status, 201);
  t.deepEqual(bare.contractErrors, []);
  t.deepEqual(bare.body.data.schema, { fields: [] });
});

test('a collection key is unique per workspace (409 with the existing id), not across workspaces', async (t) => {
  const a = await h.workspace();
  const b = await h.workspace();
  const first = await a.client.post('/cms/collections', { name: 'Blog', key: 'blog' });
  const again = await a.client.post('/cms/collections', { name: 'Blog again', key: 'blog' });
  t.is(again.status, 409);
  t.deepEqual(again.contractErrors, []);
  t.deepEqual(again.body.error.details, { resource: 'cms_collection', field: 'key', existing_id: first.body.data.id });
  t.is((await b.client.post('/cms/collections', { name: 'Blog', key: 'blog' })).status, 201);
});

test('field keys repeated in a schema answer 422 naming each repeat; bad keys, types and sizes answer 422', async (t) => {
  const { client } = await h.workspace();
  const dup = await client.post('/cms/collections', {
    name: 'Dup', key: 'dup',
    schema: { fields: [{ key: 'a', type: 'string' }, { key: 'b', type: 'text' }, { key: 'a', type: 'number' }, { key: 'b', type: 'url' }] },
  });
  t.is(dup.status, 422);
  t.deepEqual(dup.contractErrors, []);
  t.deepEqual(dup.body.error.details.fields.map((f: any) => f.field), ['schema.fields.2.key', 'schema.fields.3.key']);
  t.regex(dup.body.error.details.fields[0].problem, /schema\.fields\.0/);

  const cases: [unknown, string][] = [
    [{ name: 'X', key: 'Bad Key' }, 'key'],
    [{ name: 'X', key: 'x', schema: { fields: [{ key: 'a', type: 'color' }] } }, 'schema.fields.0.type'],
    [{ name: 'X', key: 'x', schema: { fields: [{ key: '1a', type: 'string' }] } }, 'schema.fields.0.key'],
    [{ name: 'X', key: 'x', schema: { fields: [{ key: 'a', type: 'string', extra: 1 }] } }, 'schema.fields.0.extra'],
    [{ name: 'X', key: 'x', schema: { fields: Array.from({ length: 101 }, (_, i) => ({ key: `f${i}`, type: 'string' })) } }, 'schema.fields'],
    [{ name: 'X', key: 'x', schema: {} }, 'schema.fields'],
  ];
  for (const [body, field] of cases) {
    const res = await client.post('/cms/collections', body);
    t.is(res.status, 422, JSON.stringify(body).slice(0, 80));
    t.deepEqual(res.contractErrors, []);
    t.true(res.body.error.details.fields.some((f: any) => f.field === field), `${field}: ${JSON.stringify(res.body.error.details)}`);
  }
});

test('CMS operations need the cms scopes and the cms module', async (t) => {
  const readOnly = await h.workspace({ scopes: ['cms:read'] });
  const denied = await readOnly.client.post('/cms/collections', { name: 'X', key: 'x' });
  t.is(denied.status, 403);
  t.is(denied.body.error.code, 'insufficient_scope');
  t.is((await readOnly.client.get('/cms/sites')).status, 200);
  const noModule = await h.workspace({ enabled_modules: ['crm'] });
  const off = await noModule.client.get('/marketing/campaigns');
  t.is(off.status, 403);
  t.is(off.body.error.code, 'module_not_enabled');
});

test('an Idempotency-Key replays the created collection', async (t) => {
  const { client } = await h.workspace();
  const body = { name: 'Docs', key: 'docs' };
  const first = await client.post('/cms/collections', body, { headers: { 'Idempotency-Key': 'col-1' } });
  const replay = await client.post('/cms/collections', body, { headers: { 'Idempotency-Key': 'col-1' } });
  t.is(replay.status, 201);
  t.is(replay.headers.get('idempotent-replayed'), 'true');
  t.deepEqual(replay.body.data, first.body.data);
});
