// Archiving (idempotent, hidden from default lists, no more downloads, a retention workflow per
// asset) and listing (every filter of the contract, free-text search, pagination, scoping).
import test from 'ava';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { listWorkflowIds } from '../leads/helpers.ts';
import { assetsDb, png, upload, WAIT_FOR_COMPLETION } from './helpers.ts';

let h: Harness;
test.before(async () => { h = await bootHarness(WAIT_FOR_COMPLETION); });
test.after.always(async () => { await h?.close(); });

test('archiving answers 200 archived, idempotently, hides the asset, stops downloads and starts the retention timer', async (t) => {
  const db = assetsDb(h);
  const { id: wsId, client } = await h.workspace();
  const bytes = png(7, 7);
  const intent = (await client.post('/assets', { asset_type: 'image', file_name: 'old.png', mime_type: 'image/png' })).body.data;
  await upload(intent, bytes);
  t.is((await client.post(`/assets/${intent.id}/complete`, {})).status, 200);

  const res = await client.call('DELETE', `/assets/${intent.id}`);
  t.is(res.status, 200);
  t.deepEqual(res.contractErrors, []);
  t.like(res.body.data, { status: 'archived', uploaded_at: res.body.data.uploaded_at });
  t.truthy(res.body.data.archived_at);
  const again = await client.call('DELETE', `/assets/${intent.id}`);
  t.is(again.status, 200);
  t.deepEqual(again.body.data, res.body.data, 'archiving again changes nothing');

  t.like((await client.get(`/assets/${intent.id}`)).body.data, { status: 'archived', download_url: null, download_expires_at: null });
  t.deepEqual((await client.get('/assets')).body.data, [], 'hidden from the default list');
  t.deepEqual((await client.get('/assets?status=archived')).body.data.map((a: any) => a.id), [intent.id]);
  const complete = await client.post(`/assets/${intent.id}/complete`, {});
  t.is(complete.status, 422);
  t.like(complete.body.error.details, { field: 'asset_id', reason: 'archived' });

  const row = await db.row(intent.id);
  const days = (Date.parse(row.purge_after) - Date.parse(row.archived_at)) / 86_400_000;
  t.is(days, 30, 'the object is kept for the default retention period');
  t.true(await db.exists(row.object_key), 'the object stays until then');
  t.deepEqual(await db.events(wsId, intent.id), ['asset.created', 'asset.available', 'asset.archived']);
  const commands = await h.sql('select workflow_type, workflow_id from workflow_commands where resource_id = ? and workflow_type = ?', [intent.id, 'assetRetention']);
  t.deepEqual(commands, [{ workflow_type: 'assetRetention', workflow_id: `asset-retention-${intent.id}` }], 'one retention timer');
  const found = await listWorkflowIds(h.deps.temporal, `WorkspaceId = "${wsId}" AND ResourceId = "${intent.id}" AND WorkflowType = "assetRetention"`);
  t.deepEqual(found, [`asset-retention-${intent.id}`]);
  const described = await h.deps.temporal.workflow.getHandle(`asset-retention-${intent.id}`).describe();
  t.is(described.status.name, 'RUNNING', 'sleeping until the retention period ends');
});

test('an asset archived before its upload was completed is archived too, and cannot be completed', async (t) => {
  const { client } = await h.workspace();
  const intent = (await client.post('/assets', { asset_type: 'document', file_name: 'draft.txt', mime_type: 'text/plain' })).body.data;
  const res = await client.call('DELETE', `/assets/${intent.id}`);
  t.is(res.status, 200);
  t.like(res.body.data, { status: 'archived', uploaded_at: null });
  t.is((await client.post(`/assets/${intent.id}/complete`, {})).status, 422);
});

test('listAssets filters by type, status, related resource, custom field and free text, newest first, in pages', async (t) => {
  const { client } = await h.workspace();
  const other = await h.workspace();
  const contact = (await client.post('/contacts', { name: 'Ada' })).body.data;
  const make = async (body: Record<string, unknown>) => {
    const res = await client.post('/assets', body);
    t.is(res.status, 201, JSON.stringify(res.body));
    return res.body.data.id as string;
  };
  const brochure = await make({ asset_type: 'document', file_name: 'brochure.pdf', mime_type: 'application/pdf', name: 'Spring brochure', related_resource_type: 'contact', related_resource_id: contact.id, custom_fields: { campaign: 'spring', year: 2025 } });
  const logo = await make({ asset_type: 'image', file_name: 'logo_100%.png', mime_type: 'image/png', description: 'The company logo' });
  const clip = await make({ asset_type: 'video', file_name: 'clip.mp4', mime_type: 'video/mp4', custom_fields: { campaign: 'autumn' } });
  await other.client.post('/assets', { asset_type: 'document', file_name: 'brochure.pdf', mime_type: 'application/pdf' });

  const ids = async (query: string) => {
    const res = await client.get(`/assets${query}`);
    t.is(res.status, 200, `${query}: ${JSON.stringify(res.body)}`);
    t.deepEqual(res.contractErrors, []);
    return res.body.data.map((a: any) => a.id);
  };
  t.deepEqual(await ids(''), [clip, logo, brochure]);
  t.deepEqual(await ids('?asset_type=image'), [logo]);
  t.deepEqual(await ids('?status=upload_pending'), [clip, logo, brochure]);
  t.deepEqual(await ids('?status=available'), []);
  t.deepEqual(await ids(`?related_resource_type=contact&related_resource_id=${contact.id}`), [brochure]);
  t.deepEqual(await ids('?custom_field_key=campaign&custom_field_value=spring'), [brochure]);
  t.deepEqual(await ids('?custom_field_key=year&custom_field_value=2025'), [brochure]);
  t.deepEqual(await ids('?custom_field_key=campaign'), [clip, brochure]);
  t.deepEqual(await ids('?query=SPRING'), [brochure], 'name');
  t.deepEqual(await ids('?query=clip.mp'), [clip], 'file name');
  t.deepEqual(await ids('?query=company%20logo'), [logo], 'description');
  t.deepEqual(await ids('?query=video%2F'), [clip], 'MIME type');
  t.deepEqual(await ids('?query=100%25'), [logo], 'wildcards match literally');
  t.deepEqual(await ids('?query=_'), [logo]);

  const first = await client.get('/assets?limit=2');
  t.deepEqual(first.body.data.map((a: any) => a.id), [clip, logo]);
  const second = await client.get(`/assets?limit=2&cursor=${encodeURIComponent(first.body.next_cursor)}`);
  t.deepEqual(second.body.data.map((a: any) => a.id), [brochure]);
  t.is(second.body.next_cursor, null);
  const foreign = await other.client.get(`/assets?limit=2&cursor=${encodeURIComponent(first.body.next_cursor)}`);
  t.is(foreign.status, 422);
  t.is(foreign.body.error.code, 'invalid_cursor');
  const valueWithoutKey = await client.get('/assets?custom_field_value=spring');
  t.is(valueWithoutKey.status, 422);
});

test('an intent\'s related resource must exist in the workspace', async (t) => {
  const a = await h.workspace();
  const b = await h.workspace();
  const foreign = (await b.client.post('/contacts', { name: 'Not yours' })).body.data;
  const res = await a.client.post('/assets', { asset_type: 'document', file_name: 'a.pdf', mime_type: 'application/pdf', related_resource_type: 'contact', related_resource_id: foreign.id });
  t.is(res.status, 404);
  t.deepEqual(res.contractErrors, []);
  t.deepEqual(res.body.error.details, { resource: 'contact', id: foreign.id });
  const half = await a.client.post('/assets', { asset_type: 'document', file_name: 'a.pdf', mime_type: 'application/pdf', related_resource_type: 'contact' });
  t.is(half.status, 422);
  t.deepEqual(await h.sql('select id from assets where workspace_id = ?', [a.id]), []);
});

test('a task can point at an asset (the related-resource type the assets module registers)', async (t) => {
  const a = await h.workspace();
  const b = await h.workspace();
  const asset = (await a.client.post('/assets', { asset_type: 'document', file_name: 'a.pdf', mime_type: 'application/pdf' })).body.data;
  const task = await a.client.post('/tasks', { title: 'Review the PDF', related_resource_type: 'asset', related_resource_id: asset.id });
  t.is(task.status, 201, JSON.stringify(task.body));
  const foreign = await b.client.post('/tasks', { title: 'Not yours', related_resource_type: 'asset', related_resource_id: asset.id });
  t.is(foreign.status, 404);
});
