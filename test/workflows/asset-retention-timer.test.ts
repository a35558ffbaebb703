// The assetRetention workflow in Temporal's time-skipping test server, with its real deletion
// activity against the harness's S3 and database: an archived asset's object stays while the
// 30-day timer runs, and is deleted when it fires, in well under a second of wall time. Serial:
// time skips for the whole test server.
import test from 'ava';
import { fileURLToPath } from 'node:url';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createRetentionActivities } from '../../modules/assets/retention/activities.ts';
import type { AssetRetentionInput } from '../../modules/assets/retention/types.ts';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { harnessActivityDeps, runningTimeSkippingWorker } from '../helpers/time-skipping.ts';
import { waitUntil } from '../leads/helpers.ts';
import { assetsDb, png, upload, WAIT_FOR_COMPLETION } from '../assets/helpers.ts';

const workflowsPath = fileURLToPath(new URL('../../modules/assets/retention/workflow.ts', import.meta.url));
const queue = 'asset-retention-timers';
let h: Harness;
let env: TestWorkflowEnvironment;
let stopWorker: (() => Promise<void>) | undefined;

test.before(async () => {
  h = await bootHarness(WAIT_FOR_COMPLETION);
  ({ env, stop: stopWorker } = await runningTimeSkippingWorker(queue, workflowsPath, createRetentionActivities(harnessActivityDeps(h))));
});
test.after.always(async () => {
  await stopWorker?.();
  await h?.close();
});

/** An available asset, archived through the API: its retention input as the archive wrote it. */
async function archivedAsset() {
  const { id, client } = await h.workspace();
  const intent = (await client.post('/assets', { asset_type: 'image', file_name: 'old.png', mime_type: 'image/png' })).body.data;
  await upload(intent, png(4, 4));
  await client.post(`/assets/${intent.id}/complete`, {});
  await client.call('DELETE', `/assets/${intent.id}`);
  const row = await assetsDb(h).row(intent.id);
  const input: AssetRetentionInput = { workspaceId: id, assetId: intent.id, purgeAfter: new Date(row.purge_after).toISOString(), requestId: null };
  return { workspaceId: id, client, row, input };
}

test.serial('the object stays while the retention timer runs and is deleted when it fires; the asset stays as a record', async (t) => {
  const db = assetsDb(h);
  const { workspaceId, client, row, input } = await archivedAsset();
  t.true(await db.exists(row.object_key));
  const startedAt = await env.currentTimeMs();
  const wallStart = Date.now();
  const handle = await env.client.workflow.start('assetRetention', { taskQueue: queue, workflowId: `asset-retention-${input.assetId}`, args: [input] });

  // Nobody waits for the result yet, so time does not skip: the workflow sleeps on its timer.
  await waitUntil('the retention timer to start', async () =>
    ((await handle.fetchHistory()).events ?? []).some((e) => e.timerStartedEventAttributes));
  t.true(await db.exists(row.object_key), 'kept during the retention period');
  t.is((await db.row(input.assetId)).object_deleted_at, null);

  t.deepEqual(await handle.result(), { purged: true });
  const elapsed = (await env.currentTimeMs()) - startedAt;
  t.true(elapsed >= 30 * 86_400_000 - 60_000, `workflow time passed the 30 days (${elapsed} ms)`);
  t.true(Date.now() - wallStart < 30_000, 'the test did not wait for them');
  t.false(await db.exists(row.object_key), 'the object is gone from S3');
  const after = await db.row(input.assetId);
  t.truthy(after.object_deleted_at);
  t.is(after.status, 'archived');
  t.deepEqual(await db.events(workspaceId, input.assetId), ['asset.created', 'asset.available', 'asset.archived', 'asset.purged']);
  t.like((await client.get(`/assets/${input.assetId}`)).body.data, { status: 'archived', download_url: null });

  // Run again (a retried activity, a duplicate start): nothing more happens.
  const again = await env.client.workflow.execute('assetRetention', { taskQueue: queue, workflowId: `asset-retention-again-${input.assetId}`, args: [input] });
  t.deepEqual(again, { purged: false });
  t.is((await db.events(workspaceId, input.assetId)).filter((e) => e === 'asset.purged').length, 1);
});

test.serial('a retention input for an asset that is not archived deletes nothing', async (t) => {
  const db = assetsDb(h);
  const { client } = await h.workspace();
  const intent = (await client.post('/assets', { asset_type: 'image', file_name: 'live.png', mime_type: 'image/png' })).body.data;
  await upload(intent, png(4, 4));
  await client.post(`/assets/${intent.id}/complete`, {});
  const row = await db.row(intent.id);
  const input: AssetRetentionInput = { workspaceId: row.workspace_id, assetId: intent.id, purgeAfter: new Date().toISOString(), requestId: null };
  const result = await env.client.workflow.execute('assetRetention', { taskQueue: queue, workflowId: `asset-retention-live-${intent.id}`, args: [input] });
  t.deepEqual(result, { purged: false });
  t.true(await db.exists(row.object_key));
});
