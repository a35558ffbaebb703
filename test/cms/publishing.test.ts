// Scheduled publishing on the real Temporal server and database: the workflow each schedule
// asks for (ids, search attributes, one run per entry that a moved schedule signals), and the
// activities' database side. Timers themselves run in test/workflows/cms-publishing-timers.test.ts.
import test from 'ava';
import { WorkflowNotFoundError } from '@temporalio/client';
import { RESOURCE_ID, WORKSPACE_ID } from '../../platform/search-attributes.ts';
import { entrySchedule, postSchedule, publishDueEntry, publishDuePost } from '../../modules/cms/publishing/publications.ts';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { cmsReader, collection, entry } from './helpers.ts';

let h: Harness;
test.before(async () => { h = await bootHarness(); });
test.after.always(async () => { await h?.close(); });

const inHours = (n: number) => new Date(Date.now() + n * 3600_000).toISOString();

/** The signals the run's history records. */
async function signalsOf(workflowId: string): Promise<string[]> {
  const history = await h.deps.temporal.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? []).flatMap((e) => (e.workflowExecutionSignaledEventAttributes ? [e.workflowExecutionSignaledEventAttributes.signalName ?? ''] : []));
}

/** Ends a run the test left waiting; one that already ended (it found nothing left to publish) is fine too. */
async function endRun(workflowId: string): Promise<void> {
  await h.deps.temporal.workflow.getHandle(workflowId).terminate('test done').catch((e: unknown) => {
    if (!(e instanceof WorkflowNotFoundError)) throw e;
  });
}

async function waitFor<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
}

test('a scheduled entry gets one cms-publish workflow carrying WorkspaceId and ResourceId; moving the schedule signals that run; clearing it ends it', async (t) => {
  const { id, client } = await h.workspace();
  const col = await collection(client);
  const e = await entry(client, { collection_id: col.id, title: 'Launch post', status: 'review', fields: { slug: 'launch' }, publish_at: inHours(24) });
  const handle = h.deps.temporal.workflow.getHandle(`cms-publish-${e.id}`);
  const first = await handle.describe();
  t.is(first.type, 'publishCmsEntry');
  t.is(first.status.name, 'RUNNING');
  t.is(first.typedSearchAttributes.get(WORKSPACE_ID), id);
  t.is(first.typedSearchAttributes.get(RESOURCE_ID), e.id);
  t.truthy((first.memo as any)?.request_id);

  const moved = await client.patch(`/cms/entries/${e.id}`, { publish_at: inHours(2) });
  t.is(moved.status, 200);
  const afterMove = await handle.describe();
  t.is(afterMove.runId, first.runId, 'the waiting run was signalled, not replaced or queued behind');
  t.is(afterMove.status.name, 'RUNNING');
  // Signal-with-start signals the run it starts too; the move is the second signal.
  t.deepEqual(await waitFor(() => signalsOf(`cms-publish-${e.id}`), (s) => s.length >= 2), ['reschedule', 'reschedule']);

  await client.patch(`/cms/entries/${e.id}`, { publish_at: null });
  const result = await handle.result();
  t.deepEqual(result, { id: e.id, outcome: 'not_scheduled' });
  const row = (await h.sql('select status, publish_at from cms_entries where id = ?', [e.id]))[0];
  t.deepEqual(row, { status: 'review', publish_at: null });
  const commands = await h.sql<{ dispatched_at: Date | null; run_id: string | null }>('select dispatched_at, run_id from workflow_commands where resource_id = ? order by id', [e.id]);
  t.is(commands.length, 3);
  t.true(commands.every((c) => c.dispatched_at !== null && c.run_id === first.runId), 'each command reached the same run');

  // A new schedule after the run ended starts a new run of the same workflow id.
  await client.patch(`/cms/entries/${e.id}`, { publish_at: inHours(5) });
  const again = await handle.describe();
  t.not(again.runId, first.runId);
  t.is(again.status.name, 'RUNNING');
  await client.patch(`/cms/entries/${e.id}`, { status: 'draft' });
  t.deepEqual(await handle.result(), { id: e.id, outcome: 'not_scheduled' }, 'leaving review ends it too');
});

test('a signal-with-start command dispatched again (a crash before it was marked) signals the same run, starting no other', async (t) => {
  const { client } = await h.workspace();
  const col = await collection(client);
  const e = await entry(client, { collection_id: col.id, title: 'Twice', status: 'review', fields: { slug: 'twice' }, publish_at: inHours(6) });
  const workflowId = `cms-publish-${e.id}`;
  const first = await h.deps.temporal.workflow.getHandle(workflowId).describe();
  const [command] = await h.sql<{ id: string; run_id: string }>('select id, run_id from workflow_commands where resource_id = ?', [e.id]);
  t.is(command!.run_id, first.runId);
  await h.sql('update workflow_commands set dispatched_at = null, run_id = null, next_attempt_at = now() where id = ?', [command!.id]);
  t.deepEqual([...(await h.deps.workflows.dispatch([command!.id]))], [[command!.id, first.runId]]);
  const runs = await waitFor(async () => {
    const found: string[] = [];
    for await (const wf of h.deps.temporal.workflow.list({ query: `WorkflowId = "${workflowId}"` })) found.push(wf.runId);
    return found;
  }, (found) => found.length > 0);
  t.deepEqual(runs, [first.runId], 'one run');
  t.is((await h.deps.temporal.workflow.getHandle(workflowId).describe()).status.name, 'RUNNING');
  await h.deps.temporal.workflow.getHandle(workflowId).terminate('test done');
});

test('a scheduled post gets a marketing-post workflow carrying WorkspaceId and ResourceId', async (t) => {
  const { id, client } = await h.workspace();
  const post = (await client.post('/marketing/posts', { channel: 'linkedin', body: 'Soon', status: 'scheduled', scheduled_at: inHours(3) })).body.data;
  const description = await h.deps.temporal.workflow.getHandle(`marketing-post-${post.id}`).describe();
  t.is(description.type, 'publishMarketingPost');
  t.is(description.status.name, 'RUNNING');
  t.is(description.typedSearchAttributes.get(WORKSPACE_ID), id);
  t.is(description.typedSearchAttributes.get(RESOURCE_ID), post.id);
  // Operators find it by workspace in the Temporal UI (visibility is eventually consistent).
  const found = await waitFor(async () => {
    const ids: string[] = [];
    for await (const wf of h.deps.temporal.workflow.list({ query: `WorkspaceId = "${id}"` })) ids.push(wf.workflowId);
    return ids;
  }, (ids) => ids.length > 0);
  t.deepEqual(found, [`marketing-post-${post.id}`]);
  await h.deps.temporal.workflow.getHandle(`marketing-post-${post.id}`).terminate('test done');
});

test('publishing an entry happens only for the moment it was scheduled for, once, with its events', async (t) => {
  const { id, client } = await h.workspace();
  const col = await collection(client);
  const at = inHours(1);
  const e = await entry(client, { collection_id: col.id, title: 'Due', status: 'review', fields: { slug: 'due' }, publish_at: at });
  const inTx = <T>(work: (ctx: any) => Promise<T>) => h.inTx(id, work, null);
  t.is(await inTx((ctx) => entrySchedule(ctx, e.id)), at);
  t.is(await inTx((ctx) => publishDueEntry(ctx, e.id, inHours(3))), 'moved', 'another moment does not publish');
  t.is((await client.get(`/cms/entries?status=review`)).body.data[0].status, 'review');
  t.is(await inTx((ctx) => publishDueEntry(ctx, e.id, at)), 'published');
  t.is(await inTx((ctx) => publishDueEntry(ctx, e.id, at)), 'not_scheduled', 'a retried activity does nothing more');
  const [row] = (await client.get('/cms/entries?status=published')).body.data;
  t.like(row, { id: e.id, status: 'published', publish_at: null });
  t.truthy(row.published_at);
  t.is(await inTx((ctx) => entrySchedule(ctx, e.id)), null);
  const events = await cmsReader(h).events(id, e.id);
  t.deepEqual(events.map((x) => x.type), ['cms_entry.created', 'cms_entry.updated', 'cms_entry.published']);
  t.deepEqual(events[1]!.payload.changed_fields, ['status', 'published_at', 'publish_at']);
  t.like(events[2]!.payload, { id: e.id, status: 'published' });
  t.is(await inTx((ctx) => publishDueEntry(ctx, 'ent_missing', at)), 'not_scheduled');
  await endRun(`cms-publish-${e.id}`);
});

test('publishing a post happens only for its scheduled moment, once, recording marketing_post.published', async (t) => {
  const { id, client } = await h.workspace();
  const at = inHours(2);
  const post = (await client.post('/marketing/posts', { channel: 'x', body: 'Thread', status: 'scheduled', scheduled_at: at })).body.data;
  const inTx = <T>(work: (ctx: any) => Promise<T>) => h.inTx(id, work, null);
  t.is(await inTx((ctx) => postSchedule(ctx, post.id)), at);
  t.is(await inTx((ctx) => publishDuePost(ctx, post.id, inHours(1))), 'moved');
  t.is(await inTx((ctx) => publishDuePost(ctx, post.id, at)), 'published');
  t.is(await inTx((ctx) => publishDuePost(ctx, post.id, at)), 'not_scheduled');
  const [row] = (await client.get('/marketing/posts?status=published')).body.data;
  t.like(row, { id: post.id, status: 'published', scheduled_at: at });
  t.truthy(row.published_at);
  t.deepEqual(await cmsReader(h).eventTypes(id, post.id), ['marketing_post.created', 'marketing_post.published']);
  await endRun(`marketing-post-${post.id}`);
});
