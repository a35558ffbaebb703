import test from 'ava';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { collection, entry } from './helpers.ts';

let h: Harness;
test.before(async () => { h = await bootHarness(); });
test.after.always(async () => { await h?.close(); });

test('tasks and activities may point at CMS entries, campaigns and posts of the workspace; others answer 404', async (t) => {
  const a = await h.workspace();
  const b = await h.workspace();
  const col = await collection(a.client);
  const e = await entry(a.client, { collection_id: col.id, title: 'Entry', fields: { slug: 'e' } });
  const campaign = (await a.client.post('/marketing/campaigns', { key: 'c', name: 'C' })).body.data;
  const post = (await a.client.post('/marketing/posts', { channel: 'x', body: 'P' })).body.data;
  for (const [type, id] of [['cms_entry', e.id], ['marketing_campaign', campaign.id], ['marketing_post', post.id]]) {
    const task = await a.client.post('/tasks', { title: `Review ${type}`, related_resource_type: type, related_resource_id: id });
    t.is(task.status, 201, type);
    const activity = await a.client.post('/activities', { type: 'note', summary: 'Noted', related_resource_type: type, related_resource_id: id });
    t.is(activity.status, 201, type);
    const foreign = await b.client.post('/tasks', { title: 'Not theirs', related_resource_type: type, related_resource_id: id });
    t.is(foreign.status, 404, type);
    t.deepEqual(foreign.body.error.details, { resource: type, id });
  }
});
