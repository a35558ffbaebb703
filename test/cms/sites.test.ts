import test from 'ava';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { cmsReader } from './helpers.ts';

let h: Harness;
test.before(async () => { h = await bootHarness(); });
test.after.always(async () => { await h?.close(); });

test('createCmsSite answers 201, stores the domain lower-case, defaults the search language, emits cms_site.created', async (t) => {
  const { id, client } = await h.workspace();
  const res = await client.post('/cms/sites', { key: 'slab5_com', name: 'slab5.com', primary_domain: 'Slab5.COM' });
  t.is(res.status, 201);
  t.deepEqual(res.contractErrors, []);
  t.regex(res.body.data.id, /^site_[0-9a-z]{26}$/);
  t.like(res.body.data, { key: 'slab5_com', name: 'slab5.com', primary_domain: 'slab5.com', description: null, search_language: 'simple' });
  t.deepEqual(await cmsReader(h).eventTypes(id, res.body.data.id), ['cms_site.created']);
  const french = await client.post('/cms/sites', { key: 'fr', name: 'France', search_language: 'french', description: 'Le site' });
  t.like(french.body.data, { primary_domain: null, search_language: 'french', description: 'Le site' });
});

test('site key and primary domain are unique per workspace (the domain case-insensitively): 409 naming the field', async (t) => {
  const a = await h.workspace();
  const b = await h.workspace();
  const site = (await a.client.post('/cms/sites', { key: 'main', name: 'Main', primary_domain: 'acme.com' })).body.data;
  const sameKey = await a.client.post('/cms/sites', { key: 'main', name: 'Other', primary_domain: 'other.com' });
  t.is(sameKey.status, 409);
  t.deepEqual(sameKey.contractErrors, []);
  t.deepEqual(sameKey.body.error.details, { resource: 'cms_site', field: 'key', existing_id: site.id });
  const sameDomain = await a.client.post('/cms/sites', { key: 'other', name: 'Other', primary_domain: 'ACME.com' });
  t.is(sameDomain.status, 409);
  t.deepEqual(sameDomain.body.error.details, { resource: 'cms_site', field: 'primary_domain', existing_id: site.id });
  t.is((await b.client.post('/cms/sites', { key: 'main', name: 'Main', primary_domain: 'acme.com' })).status, 201);
  // Sites without a domain do not collide with each other.
  t.is((await a.client.post('/cms/sites', { key: 'nodomain_1', name: 'A' })).status, 201);
  t.is((await a.client.post('/cms/sites', { key: 'nodomain_2', name: 'B' })).status, 201);
});

test('a primary domain must be a host name; bad keys and languages answer 422 naming the field', async (t) => {
  const { client } = await h.workspace();
  for (const [body, field] of [
    [{ key: 'a', name: 'A', primary_domain: 'https://acme.com' }, 'primary_domain'],
    [{ key: 'a', name: 'A', primary_domain: 'acme.com/blog' }, 'primary_domain'],
    [{ key: 'a', name: 'A', primary_domain: 'localhost' }, 'primary_domain'],
    [{ key: 'a', name: 'A', primary_domain: '-acme.com' }, 'primary_domain'],
    [{ key: 'a', name: 'A', primary_domain: 'ac me.com' }, 'primary_domain'],
    [{ key: 'A-1', name: 'A' }, 'key'],
    [{ key: 'a', name: 'A', search_language: 'klingon' }, 'search_language'],
    [{ key: 'a' }, 'name'],
  ] as const) {
    const res = await client.post('/cms/sites', body);
    t.is(res.status, 422, JSON.stringify(body));
    t.deepEqual(res.contractErrors, []);
    t.true(res.body.error.details.fields.some((f: any) => f.field === field), JSON.stringify(res.body.error.details));
  }
});

test('listCmsSites pages newest first and searches key, name and domain; other workspaces never show', async (t) => {
  const a = await h.workspace();
  const b = await h.workspace();
  const made = [];
  for (let i = 0; i < 5; i++) made.push((await a.client.post('/cms/sites', { key: `site_${i}`, name: `Site ${i}`, primary_domain: `s${i}.example.com` })).body.data.id);
  await b.client.post('/cms/sites', { key: 'site_x', name: 'Site X', primary_domain: 'x.example.com' });
  const first = await a.client.get('/cms/sites?limit=3');
  t.deepEqual(first.contractErrors, []);
  t.deepEqual(first.body.data.map((s: any) => s.id), made.slice(2).reverse());
  const second = await a.client.get(`/cms/sites?limit=3&cursor=${encodeURIComponent(first.body.next_cursor)}`);
  t.deepEqual(second.body.data.map((s: any) => s.id), made.slice(0, 2).reverse());
  t.is(second.body.next_cursor, null);
  t.deepEqual((await a.client.get('/cms/sites?query=S3.EXAMPLE')).body.data.map((s: any) => s.id), [made[3]]);
  t.deepEqual((await a.client.get('/cms/sites?query=site_x')).body.data, []);
  const tampered = await a.client.get(`/cms/sites?cursor=${encodeURIComponent(first.body.next_cursor)}x`);
  t.is(tampered.status, 422);
  t.is(tampered.body.error.code, 'invalid_cursor');
});
