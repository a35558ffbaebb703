import test from 'ava';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { cmsReader, collection, entry } from './helpers.ts';

let h: Harness;
test.before(async () => { h = await bootHarness(); });
test.after.always(async () => { await h?.close(); });

test('createCmsEntry answers 201 in the contract shape with defaults and emits cms_entry.created', async (t) => {
  const { id, client } = await h.workspace();
  const col = await collection(client);
  const res = await client.post('/cms/entries', {
    collection_id: col.id, title: 'AI follow-up workflows', status: 'draft', content_type: 'blog_post',
    fields: { slug: 'ai-follow-up-workflows', body: 'Draft content...' }, custom_fields: { owner: 'marketing' },
  });
  t.is(res.status, 201);
  t.deepEqual(res.contractErrors, []);
  t.regex(res.body.data.id, /^ent_[0-9a-z]{26}$/);
  t.like(res.body.data, {
    collection_id: col.id, site_id: null, campaign_id: null, content_type: 'blog_post', title: 'AI follow-up workflows', status: 'draft',
    fields: { slug: 'ai-follow-up-workflows', body: 'Draft content...' }, custom_fields: { owner: 'marketing' }, published_at: null, publish_at: null,
  });
  t.deepEqual(await cmsReader(h).eventTypes(id, res.body.data.id), ['cms_entry.created']);
  const bare = await entry(client, { collection_id: col.id, title: 'Bare', fields: { slug: 'bare' } });
  t.like(bare, { status: 'draft', content_type: 'other', custom_fields: {} });
});

test('creating an entry published sets published_at and emits cms_entry.published too', async (t) => {
  const { id, client } = await h.workspace();
  const col = await collection(client);
  const published = await entry(client, { collection_id: col.id, title: 'Live', status: 'published', fields: { slug: 'live' } });
  t.truthy(published.published_at);
  t.is(published.published_at, published.created_at);
  t.deepEqual(await cmsReader(h).eventTypes(id, published.id), ['cms_entry.created', 'cms_entry.published']);
});

test('an unknown or foreign collection, site or campaign answers 404 and creates nothing', async (t) => {
  const a = await h.workspace();
  const b = await h.workspace();
  const col = await collection(a.client);
  const foreignCol = await collection(b.client);
  const foreignSite = (await b.client.post('/cms/sites', { key: 's', name: 'S' })).body.data;
  const foreignCampaign = (await b.client.post('/marketing/campaigns', { key: 'c', name: 'C' })).body.data;
  for (const [body, resource] of [
    [{ collection_id: foreignCol.id }, 'cms_collection'],
    [{ collection_id: 'col_missing' }, 'cms_collection'],
    [{ collection_id: col.id, site_id: foreignSite.id }, 'cms_site'],
    [{ collection_id: col.id, campaign_id: foreignCampaign.id }, 'marketing_campaign'],
  ] as const) {
    const res = await a.client.post('/cms/entries', { title: 'X', fields: { slug: 'x' }, ...body });
    t.is(res.status, 404, JSON.stringify(body));
    t.deepEqual(res.contractErrors, []);
    t.is(res.body.error.details.resource, resource);
  }
  t.deepEqual((await a.client.get('/cms/entries')).body.data, []);
  t.deepEqual((await a.client.patch('/cms/entries/ent_missing', { title: 'Y' })).status, 404);
  const theirs = await entry(b.client, { collection_id: foreignCol.id, title: 'Theirs', fields: { slug: 't' } });
  const patchForeign = await a.client.patch(`/cms/entries/${theirs.id}`, { title: 'Mine now' });
  t.is(patchForeign.status, 404);
  t.deepEqual(patchForeign.contractErrors, []);
});

test('a slug is unique per site, or per collection for entries without a site: 409 with the holder', async (t) => {
  const { client } = await h.workspace();
  const posts = await collection(client);
  const pages = await collection(client);
  const site = (await client.post('/cms/sites', { key: 'main', name: 'Main' })).body.data;
  const other = (await client.post('/cms/sites', { key: 'other', name: 'Other' })).body.data;
  const first = await entry(client, { collection_id: posts.id, title: 'Hello', fields: { slug: 'hello' } });
  const sameCollection = await client.post('/cms/entries', { collection_id: posts.id, title: 'Hello again', fields: { slug: 'hello' } });
  t.is(sameCollection.status, 409);
  t.deepEqual(sameCollection.contractErrors, []);
  t.deepEqual(sameCollection.body.error.details, { resource: 'cms_entry', field: 'fields.slug', existing_id: first.id });
  // Another collection without a site, or a site: no clash.
  t.is((await client.post('/cms/entries', { collection_id: pages.id, title: 'Hello page', fields: { slug: 'hello' } })).status, 201);
  const onSite = await entry(client, { collection_id: posts.id, site_id: site.id, title: 'Hello site', fields: { slug: 'hello' } });
  // On one site the slug is unique across collections.
  const siteClash = await client.post('/cms/entries', { collection_id: pages.id, site_id: site.id, title: 'Page', fields: { slug: 'hello' } });
  t.is(siteClash.status, 409);
  t.is(siteClash.body.error.details.existing_id, onSite.id);
  t.is((await client.post('/cms/entries', { collection_id: pages.id, site_id: other.id, title: 'Page', fields: { slug: 'hello' } })).status, 201);
  // Moving an entry onto a site, or changing its slug, is checked too.
  const loose = await entry(client, { collection_id: pages.id, title: 'Loose', fields: { slug: 'loose' } });
  const move = await client.patch(`/cms/entries/${loose.id}`, { site_id: site.id, fields: { slug: 'hello' } });
  t.is(move.status, 409);
  t.is(move.body.error.details.existing_id, onSite.id);
  const rename = await client.patch(`/cms/entries/${first.id}`, { fields: { slug: 'hello' } });
  t.is(rename.status, 200, 'keeping its own slug is no clash');
});

test('concurrent creates of one slug: exactly one wins, the others answer 409 naming it', async (t) => {
  const { client } = await h.workspace();
  const col = await collection(client);
  const results = await Promise.all(Array.from({ length: 6 }, (_, i) => client.post('/cms/entries', { collection_id: col.id, title: `Race ${i}`, fields: { slug: 'race' } })));
  const winners = results.filter((r) => r.status === 201);
  t.is(winners.length, 1);
  for (const r of results.filter((x) => x.status !== 201)) {
    t.is(r.status, 409);
    t.is(r.body.error.details.existing_id, winners[0]!.body.data.id);
  }
});

test('updateCmsEntry merges fields and custom_fields (null removes), validates the merged fields, emits cms_entry.updated', async (t) => {
  const { id, client } = await h.workspace();
  const col = await collection(client, [{ key: 'slug', type: 'string', required: true }, { key: 'summary', type: 'string' }, { key: 'views', type: 'integer' }]);
  const created = await entry(client, { collection_id: col.id, title: 'Draft', fields: { slug: 'draft', summary: 'S', views: 1 }, custom_fields: { a: 1, b: 2 } });
  const res = await client.patch(`/cms/entries/${created.id}`, { title: 'Renamed', fields: { summary: null, views: 2 }, custom_fields: { b: null, c: 3 }, content_type: 'article' });
  t.is(res.status, 200);
  t.deepEqual(res.contractErrors, []);
  t.like(res.body.data, { title: 'Renamed', content_type: 'article', fields: { slug: 'draft', views: 2 }, custom_fields: { a: 1, c: 3 } });
  t.deepEqual(res.body.data.fields, { slug: 'draft', views: 2 });
  t.true(res.body.data.updated_at > created.updated_at);
  const events = await cmsReader(h).events(id, created.id);
  t.deepEqual(events.map((e) => e.type), ['cms_entry.created', 'cms_entry.updated']);
  t.deepEqual(events[1]!.payload.changed_fields.sort(), ['content_type', 'custom_fields', 'fields', 'title']);

  // Removing a required field, or a wrong type, is refused after the merge; nothing changes.
  const removeRequired = await client.patch(`/cms/entries/${created.id}`, { fields: { slug: null, views: 'many' } });
  t.is(removeRequired.status, 422);
  t.deepEqual(removeRequired.contractErrors, []);
  t.deepEqual(removeRequired.body.error.details.fields.map((f: any) => f.field), ['fields.slug', 'fields.views']);
  const unchanged = await client.patch(`/cms/entries/${created.id}`, { title: 'Renamed' });
  t.is(unchanged.body.data.updated_at, res.body.data.updated_at, 'a patch that changes nothing emits nothing');
  t.is((await cmsReader(h).events(id, created.id)).length, 2);
  const empty = await client.patch(`/cms/entries/${created.id}`, {});
  t.is(empty.status, 422);
});

test('site and campaign can be set and cleared on update; unknown ones answer 404', async (t) => {
  const { client } = await h.workspace();
  const col = await collection(client);
  const site = (await client.post('/cms/sites', { key: 's', name: 'S' })).body.data;
  const campaign = (await client.post('/marketing/campaigns', { key: 'c', name: 'C' })).body.data;
  const e = await entry(client, { collection_id: col.id, title: 'E', fields: { slug: 'e' } });
  const set = await client.patch(`/cms/entries/${e.id}`, { site_id: site.id, campaign_id: campaign.id });
  t.like(set.body.data, { site_id: site.id, campaign_id: campaign.id });
  const cleared = await client.patch(`/cms/entries/${e.id}`, { site_id: null, campaign_id: null });
  t.like(cleared.body.data, { site_id: null, campaign_id: null });
  const unknown = await client.patch(`/cms/entries/${e.id}`, { campaign_id: 'camp_missing' });
  t.is(unknown.status, 404);
  t.is(unknown.body.error.details.resource, 'marketing_campaign');
});

test('the status flow is enforced: a refused move answers 422 naming both states; publishing sets published_at', async (t) => {
  const { id, client } = await h.workspace();
  const col = await collection(client);
  const e = await entry(client, { collection_id: col.id, title: 'Flow', fields: { slug: 'flow' } });
  const move = (status: string) => client.patch(`/cms/entries/${e.id}`, { status });
  const skip = await move('published');
  t.is(skip.status, 422);
  t.deepEqual(skip.contractErrors, []);
  t.is(skip.body.error.code, 'rule_violation');
  t.like(skip.body.error.details, { field: 'status', from: 'draft', to: 'published' });
  t.regex(skip.body.error.message, /from draft to published/);

  t.is((await move('review')).body.data.status, 'review');
  t.is((await move('draft')).body.data.status, 'draft', 'sent back');
  t.is((await move('review')).status, 200);
  const published = await move('published');
  t.is(published.body.data.status, 'published');
  t.truthy(published.body.data.published_at);
  t.is((await move('review')).status, 422, 'published → review is not a move');
  t.is((await move('draft')).body.data.published_at, published.body.data.published_at, 'unpublishing keeps when it was last published');
  t.is((await move('archived')).body.data.status, 'archived');
  const fromArchive = await move('published');
  t.is(fromArchive.status, 422);
  t.like(fromArchive.body.error.details, { from: 'archived', to: 'published', allowed: ['draft'] });
  t.is((await move('draft')).body.data.status, 'draft', 'restored');
  const types = await cmsReader(h).eventTypes(id, e.id);
  t.is(types.filter((x) => x === 'cms_entry.published').length, 1);
});

test('publish_at schedules an entry in review: future only, review only; leaving review or null unschedules', async (t) => {
  const { id, client } = await h.workspace();
  const col = await collection(client);
  const future = new Date(Date.now() + 3600_000).toISOString();
  const later = new Date(Date.now() + 7200_000).toISOString();
  const draftScheduled = await client.post('/cms/entries', { collection_id: col.id, title: 'D', fields: { slug: 'd' }, publish_at: future });
  t.is(draftScheduled.status, 422);
  t.deepEqual(draftScheduled.contractErrors, []);
  t.like(draftScheduled.body.error.details, { field: 'publish_at', status: 'draft' });
  const past = await client.post('/cms/entries', { collection_id: col.id, title: 'P', status: 'review', fields: { slug: 'p' }, publish_at: '2020-01-01T00:00:00Z' });
  t.is(past.status, 422);
  t.deepEqual(past.body.error.details.fields.map((f: any) => f.field), ['publish_at']);

  const e = await entry(client, { collection_id: col.id, title: 'Scheduled', status: 'review', fields: { slug: 's' }, publish_at: future });
  t.is(e.publish_at, future);
  const reader = cmsReader(h);
  let commands = await reader.commands(id, e.id);
  t.is(commands.length, 1);
  t.like(commands[0], { workflow_type: 'publishCmsEntry', workflow_id: `cms-publish-${e.id}`, signal: 'reschedule' });
  t.deepEqual(commands[0]!.args, [{ workspaceId: id, id: e.id }]);

  const moved = await client.patch(`/cms/entries/${e.id}`, { publish_at: later });
  t.is(moved.body.data.publish_at, later);
  t.is((await client.patch(`/cms/entries/${e.id}`, { title: 'Retitled' })).body.data.publish_at, later, 'other changes keep the schedule');
  t.is((await reader.commands(id, e.id)).length, 2, 'a moved schedule signals the workflow; a title change does not');
  const toDraft = await client.patch(`/cms/entries/${e.id}`, { status: 'draft' });
  t.is(toDraft.body.data.publish_at, null, 'leaving review unschedules');
  t.is((await reader.commands(id, e.id)).length, 3);
  const draftPublishAt = await client.patch(`/cms/entries/${e.id}`, { publish_at: later });
  t.is(draftPublishAt.status, 422);
  t.is(draftPublishAt.body.error.code, 'rule_violation');
  const again = await client.patch(`/cms/entries/${e.id}`, { status: 'review', publish_at: later });
  t.like(again.body.data, { status: 'review', publish_at: later });
  const cleared = await client.patch(`/cms/entries/${e.id}`, { publish_at: null });
  t.is(cleared.body.data.publish_at, null);
  const byHand = await client.patch(`/cms/entries/${e.id}`, { publish_at: future });
  const published = await client.patch(`/cms/entries/${byHand.body.data.id}`, { status: 'published' });
  t.like(published.body.data, { status: 'published', publish_at: null });
  t.is((await reader.commands(id, e.id)).length, 7);
  commands = await reader.commands(id, e.id);
  t.true(commands.every((c) => c.workflow_id === `cms-publish-${e.id}` && c.signal === 'reschedule'));
});

test('listCmsEntries keeps every filter of the reference, hides archived entries, and pages newest first', async (t) => {
  const a = await h.workspace();
  const b = await h.workspace();
  const { client } = a;
  const posts = await collection(client);
  const pages = await collection(client);
  const site = (await client.post('/cms/sites', { key: 's', name: 'S' })).body.data;
  const campaign = (await client.post('/marketing/campaigns', { key: 'c', name: 'C' })).body.data;
  const e1 = await entry(client, { collection_id: posts.id, title: 'Spring launch', content_type: 'blog_post', fields: { slug: 'e1', body: 'Pricing news' }, custom_fields: { tier: 'gold', seats: 5 } });
  const e2 = await entry(client, { collection_id: posts.id, site_id: site.id, title: 'Autumn recap', status: 'review', fields: { slug: 'e2' }, custom_fields: { tier: 'silver' } });
  const e3 = await entry(client, { collection_id: pages.id, campaign_id: campaign.id, title: 'Landing', content_type: 'landing_page', status: 'published', fields: { slug: 'e3' } });
  const e4 = await entry(client, { collection_id: pages.id, title: 'Old page', fields: { slug: 'e4' } });
  await client.patch(`/cms/entries/${e4.id}`, { status: 'archived' });
  const theirs = await collection(b.client);
  await entry(b.client, { collection_id: theirs.id, title: 'Spring launch elsewhere', fields: { slug: 'x' } });

  const ids = async (q: string) => {
    const res = await client.get(`/cms/entries${q}`);
    t.deepEqual(res.contractErrors, [], q);
    t.is(res.status, 200, q);
    return res.body.data.map((e: any) => e.id);
  };
  t.deepEqual(await ids(''), [e3.id, e2.id, e1.id]);
  t.deepEqual(await ids('?status=archived'), [e4.id]);
  t.deepEqual(await ids(`?collection_id=${posts.id}`), [e2.id, e1.id]);
  t.deepEqual(await ids(`?site_id=${site.id}`), [e2.id]);
  t.deepEqual(await ids(`?campaign_id=${campaign.id}`), [e3.id]);
  t.deepEqual(await ids('?content_type=landing_page'), [e3.id]);
  t.deepEqual(await ids('?status=review'), [e2.id]);
  t.deepEqual(await ids('?query=spring'), [e1.id]);
  t.deepEqual(await ids('?query=pric'), [e1.id], 'the last word matches as a prefix');
  t.deepEqual(await ids('?query=pric%20'), [], 'unless the query ends with a space');
  t.deepEqual(await ids('?query=launch%20pricing'), [e1.id]);
  t.deepEqual(await ids('?custom_field_key=tier&custom_field_value=gold'), [e1.id]);
  t.deepEqual(await ids('?custom_field_key=seats&custom_field_value=5'), [e1.id]);
  t.deepEqual(await ids('?custom_field_key=tier'), [e2.id, e1.id]);
  t.deepEqual(await ids(`?collection_id=${pages.id}&status=archived`), [e4.id]);
  const page = await client.get('/cms/entries?limit=2');
  t.deepEqual(page.body.data.map((e: any) => e.id), [e3.id, e2.id]);
  t.deepEqual(await ids(`?limit=2&cursor=${encodeURIComponent(page.body.next_cursor)}`), [e1.id]);
  for (const q of ['?custom_field_value=gold', '?status=gone', '?query=%20%20', '?limit=0']) {
    const res = await client.get(`/cms/entries${q}`);
    t.is(res.status, 422, q);
    t.deepEqual(res.contractErrors, []);
  }
});
