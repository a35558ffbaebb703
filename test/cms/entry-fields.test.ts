// Entry fields against the collection's schema: every field type, every problem at once.
import test from 'ava';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { collection, entry, EVERY_TYPE } from './helpers.ts';
import { fieldSchemaOf } from '../../modules/cms/content/field-schema.ts';

let h: Harness;
test.before(async () => { h = await bootHarness(); });
test.after.always(async () => { await h?.close(); });

const VALID = {
  headline: 'Launch day', summary: 'A long summary', body: '# Hello\n\nMarkdown *body*', html_body: '<p>Hello <b>world</b></p>',
  rating: 4.5, reading_minutes: 7, featured: true, event_date: '2025-02-28', starts_at: '2025-02-28T09:30:00+01:00',
  website: 'https://slab5.com/launch?utm=x', contact_email: 'press@slab5.com', cover: 'asset_01jabcdefghjkmnpqrstvwxyz0', meta: { tags: ['a', 'b'], n: 1 },
  title_text: 'Required',
};

test('an entry whose fields match every field type is created with them as given', async (t) => {
  const { client } = await h.workspace();
  const col = await collection(client, EVERY_TYPE);
  const target = await entry(client, { collection_id: col.id, title: 'Target', fields: { title_text: 'x' } });
  // An asset field names an asset of the workspace (an upload intent is enough to exist).
  const asset = (await client.post('/assets', { asset_type: 'image', file_name: 'cover.png', mime_type: 'image/png' })).body.data;
  const fields = { ...VALID, cover: asset.id, related: target.id };
  const res = await client.post('/cms/entries', { collection_id: col.id, title: 'All types', fields });
  t.is(res.status, 201, JSON.stringify(res.body));
  t.deepEqual(res.contractErrors, []);
  t.deepEqual(res.body.data.fields, fields);
  const noAsset = await client.post('/cms/entries', { collection_id: col.id, title: 'No asset', fields: { ...VALID, related: target.id } });
  t.is(noAsset.status, 422, 'a well-formed id of no asset');
  t.deepEqual(noAsset.body.error.details.fields.map((f: { field: string }) => f.field), ['fields.cover']);
  // JSON fields take any JSON value; a null value counts as absent.
  const scalarJson = await client.post('/cms/entries', { collection_id: col.id, title: 'Scalar', fields: { title_text: 'x', meta: 'just text', headline: null } });
  t.is(scalarJson.status, 201);
  t.deepEqual(scalarJson.body.data.fields, { title_text: 'x', meta: 'just text' });
});

test('a wrong value of each type answers 422 naming every offending field at once, in schema order', async (t) => {
  const { client } = await h.workspace();
  const col = await collection(client, EVERY_TYPE);
  const bad = {
    headline: 'x'.repeat(2001), summary: 42, body: ['not', 'text'], html_body: false,
    rating: '4.5', reading_minutes: 7.5, featured: 'yes', event_date: '2025-02-30', starts_at: '2025-02-28 09:30',
    website: 'ftp://slab5.com', contact_email: 'not-an-email', cover: 'img_123', related: 'con_123', unknown_field: 1,
  };
  const res = await client.post('/cms/entries', { collection_id: col.id, title: 'Bad', fields: bad });
  t.is(res.status, 422);
  t.deepEqual(res.contractErrors, []);
  t.is(res.body.error.code, 'validation_failed');
  t.deepEqual(res.body.error.details.fields.map((f: any) => f.field), [
    'fields.headline', 'fields.summary', 'fields.body', 'fields.html_body', 'fields.rating', 'fields.reading_minutes', 'fields.featured',
    'fields.event_date', 'fields.starts_at', 'fields.website', 'fields.contact_email', 'fields.cover', 'fields.related',
    'fields.title_text', 'fields.unknown_field',
  ]);
  const problem = (key: string) => res.body.error.details.fields.find((f: any) => f.field === `fields.${key}`).problem;
  t.regex(problem('title_text'), /is required/);
  t.regex(problem('unknown_field'), /not a field/);
  t.regex(problem('event_date'), /YYYY-MM-DD/);
  t.regex(problem('website'), /http\(s\) URL/);
  t.regex(problem('contact_email'), /email/);
  t.regex(problem('reading_minutes'), /integer/);
  t.regex(problem('cover'), /asset id/);
  t.regex(problem('related'), /entry id/);
  t.deepEqual((await client.get(`/cms/entries?collection_id=${col.id}`)).body.data, []);
});

test('each type accepts its values and refuses the others (the compiled schema alone)', (t) => {
  const schema = fieldSchemaOf(EVERY_TYPE.map((f) => ({ key: f.key, type: f.type, required: false, label: null, description: null })));
  const cases: [string, unknown[], unknown[]][] = [
    ['headline', ['', 'x'.repeat(2000)], [1, 'x'.repeat(2001), {}]],
    ['summary', ['x'.repeat(100_000)], ['x'.repeat(100_001), true]],
    ['body', ['**md**'], [[]]],
    ['html_body', ['<p>x</p>'], [1]],
    ['rating', [0, -1.25, 1e300], ['1', true]],
    ['reading_minutes', [0, -3, Number.MAX_SAFE_INTEGER], [1.5, Number.MAX_SAFE_INTEGER + 2, '3']],
    ['featured', [true, false], ['true', 0]],
    ['event_date', ['2024-02-29', '2025-12-31'], ['2025-02-29', '2025-13-01', '25-01-01', '2025-01-01T00:00:00Z']],
    ['starts_at', ['2025-01-15T10:00:00Z', '2025-01-15T10:00:00.123+05:30'], ['2025-01-15T10:00:00', '2025-01-15', 'yesterday']],
    ['website', ['https://a.co', 'http://x.example.com/p?q=1#f'], ['a.co', 'ftp://a.co', 'javascript:alert(1)', 'https://' + 'a'.repeat(2050)]],
    ['contact_email', ['a@b.co'], ['a@', 'a b@c.d', 'abc']],
    ['cover', ['asset_1', 'asset_AbC-9_z'], ['asset_', 'image_1', 'asset_1/x']],
    ['related', ['ent_1'], ['ent_', 'con_1', 1]],
    ['meta', [null, 1, 'x', [1], { a: { b: [] } }], []],
  ];
  for (const [key, good, bad] of cases) {
    for (const value of good) t.deepEqual(schema.check({ [key]: value }), [], `${key} accepts ${JSON.stringify(value).slice(0, 40)}`);
    for (const value of bad) t.deepEqual(schema.check({ [key]: value }).map((p) => p.field), [`fields.${key}`], `${key} refuses ${JSON.stringify(value).slice(0, 40)}`);
  }
  // Compiled once per distinct schema: the same fields give the same compiled schema.
  t.is(fieldSchemaOf(EVERY_TYPE.map((f) => ({ key: f.key, type: f.type, required: false, label: 'other', description: null }))), schema);
});

test('a reference must name an entry of this workspace: missing or foreign ids answer 422 naming each field', async (t) => {
  const a = await h.workspace();
  const b = await h.workspace();
  const fields = [{ key: 'parent', type: 'reference' }, { key: 'next', type: 'reference' }, { key: 'prev', type: 'reference' }];
  const col = await collection(a.client, fields);
  const mine = await entry(a.client, { collection_id: col.id, title: 'Mine' });
  const foreignCol = await collection(b.client, fields);
  const foreign = await entry(b.client, { collection_id: foreignCol.id, title: 'Theirs' });
  const res = await a.client.post('/cms/entries', { collection_id: col.id, title: 'Child', fields: { parent: mine.id, next: foreign.id, prev: 'ent_doesnotexist' } });
  t.is(res.status, 422);
  t.deepEqual(res.contractErrors, []);
  t.deepEqual(res.body.error.details.fields.map((f: any) => f.field), ['fields.next', 'fields.prev']);
  t.regex(res.body.error.details.fields[0].problem, /names no entry of this workspace/);
  const ok = await a.client.post('/cms/entries', { collection_id: col.id, title: 'Child', fields: { parent: mine.id } });
  t.is(ok.status, 201);
});

test('an asset id is checked against the assets registered through the related-resource lookup, else by shape', async (t) => {
  // Whether or not the assets module (type "asset") is part of this build, a well-formed id of no
  // asset is refused only when the type is registered, and a malformed id always is.
  const { client } = await h.workspace();
  const col = await collection(client, [{ key: 'cover', type: 'asset' }]);
  const assetsRegistered = h.deps.resources.has('asset');
  const unknown = await client.post('/cms/entries', { collection_id: col.id, title: 'Cover', fields: { cover: 'asset_01jnosuchasset0000000000000' } });
  t.deepEqual(unknown.contractErrors, []);
  if (assetsRegistered) {
    t.is(unknown.status, 422);
    t.deepEqual(unknown.body.error.details.fields, [{ field: 'fields.cover', problem: 'names no asset of this workspace ("asset_01jnosuchasset0000000000000")' }]);
  } else {
    t.is(unknown.status, 201);
  }
  const malformed = await client.post('/cms/entries', { collection_id: col.id, title: 'Cover', fields: { cover: 'https://img.example/x.png' } });
  t.is(malformed.status, 422);
  t.deepEqual(malformed.body.error.details.fields.map((f: any) => f.field), ['fields.cover']);
});

test('more than 50 problems are reported as the first 50 with a count of the rest', async (t) => {
  const { client } = await h.workspace();
  const col = await collection(client, Array.from({ length: 80 }, (_, i) => ({ key: `n${String(i).padStart(2, '0')}`, type: 'integer', required: true })));
  const res = await client.post('/cms/entries', { collection_id: col.id, title: 'Empty', fields: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`extra_${i}`, 1])) });
  t.is(res.status, 422);
  t.deepEqual(res.contractErrors, []);
  t.is(res.body.error.details.fields.length, 50);
  t.is(res.body.error.details.omitted, 50);
  t.is(res.body.error.details.fields[0].field, 'fields.n00');
  t.regex(res.body.error.message, /and 50 more\.$/);
});

test('fields over 100 keys answer 422 from the contract', async (t) => {
  const { client } = await h.workspace();
  const col = await collection(client, []);
  const res = await client.post('/cms/entries', { collection_id: col.id, title: 'Many', fields: Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`k${i}`, 1])) });
  t.is(res.status, 422);
  t.deepEqual(res.body.error.details.fields.map((f: any) => f.field), ['fields']);
});
