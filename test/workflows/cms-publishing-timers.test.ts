// The publishing workflows alone (their activities are fakes over an in-memory schedule) in
// Temporal's time-skipping test server: a day's wait passes in an instant. A moved schedule must
// publish at its new moment and never at the old one; a cleared one must not publish at all.
import test from 'ava';
import { fileURLToPath } from 'node:url';
import { Context } from '@temporalio/activity';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { DuePublication, PublishingActivities } from '../../modules/cms/publishing/activities.ts';
import type { PublicationResult } from '../../modules/cms/publishing/workflow.ts';
import { RESCHEDULE_SIGNAL, type ScheduledPublication } from '../../modules/cms/publishing/types.ts';
import { timeSkippingEnvironment, timeSkippingWorker } from '../helpers/time-skipping.ts';

const workflowsPath = fileURLToPath(new URL('../../modules/cms/workflows.ts', import.meta.url));
const HOUR = 3600_000;
const DAY = 24 * HOUR;

let env: TestWorkflowEnvironment;
test.before(async () => { env = await timeSkippingEnvironment(); });
test.after.always(async () => { await env?.teardown(); });

/** The schedule as the database would hold it, and every publish attempt with its workflow time. */
function fakeStore(dueAt: number | null) {
  const store = {
    dueAt: dueAt === null ? null : new Date(dueAt).toISOString() as string | null,
    reads: 0,
    attempts: [] as { at: number; dueAt: string; outcome: string }[],
    published: null as number | null,
  };
  const read = async () => { store.reads++; return store.dueAt; };
  const publish = async (input: DuePublication) => {
    const at = Context.current().info.currentAttemptScheduledTimestampMs;
    const outcome = store.dueAt === null ? 'not_scheduled' : store.dueAt !== input.dueAt ? 'moved' : 'published';
    store.attempts.push({ at, dueAt: input.dueAt, outcome });
    if (outcome === 'published') { store.published = at; store.dueAt = null; }
    return outcome as 'published' | 'moved' | 'not_scheduled';
  };
  const activities: PublishingActivities = {
    readCmsEntrySchedule: read, publishDueCmsEntry: publish, readMarketingPostSchedule: read, publishDueMarketingPost: publish,
  };
  return { store, activities, setDue: (ms: number | null) => { store.dueAt = ms === null ? null : new Date(ms).toISOString(); } };
}

/** Until the workflow has read the schedule once (time stands still meanwhile: nothing fires). */
async function firstRead(store: { reads: number }) {
  while (store.reads < 1) await new Promise((r) => setTimeout(r, 10));
}

const input: ScheduledPublication = { workspaceId: 'wrk_t', id: 'ent_t' };

async function run(taskQueue: string, workflowType: string, activities: PublishingActivities, during?: (handle: any) => Promise<void>): Promise<PublicationResult> {
  const worker = await timeSkippingWorker(env, taskQueue, workflowsPath, activities);
  return worker.runUntil(async () => {
    const handle = await env.client.workflow.start(workflowType, { taskQueue, workflowId: `${taskQueue}-wf`, args: [input] });
    if (during) await during(handle);
    return handle.result();
  });
}

test.serial('an entry is published at its publish_at: a day passes without waiting', async (t) => {
  const start = await env.currentTimeMs();
  const { store, activities } = fakeStore(start + DAY);
  const wallStart = Date.now();
  const result = await run('cms-publish-day', 'publishCmsEntry', activities);
  t.deepEqual(result, { id: 'ent_t', outcome: 'published' });
  t.true(store.published! >= start + DAY, 'not before its moment');
  t.true(store.published! < start + DAY + HOUR);
  t.true(Date.now() - wallStart < 30_000, 'the test did not wait a day');
  t.is(store.attempts.length, 1);
});

test.serial('a schedule moved earlier (signal) publishes at the new moment, never at the old one', async (t) => {
  const start = await env.currentTimeMs();
  const { store, activities, setDue } = fakeStore(start + DAY);
  const result = await run('cms-publish-earlier', 'publishCmsEntry', activities, async (handle) => {
    await firstRead(store);
    setDue(start + HOUR);
    await handle.signal(RESCHEDULE_SIGNAL);
  });
  t.is(result.outcome, 'published');
  t.true(store.published! >= start + HOUR && store.published! < start + 2 * HOUR, `published at +${(store.published! - start) / HOUR} h`);
  t.deepEqual(store.attempts.map((a) => a.outcome), ['published']);
  t.is(store.reads, 2, 'the signal woke the wait to read the schedule again');
});

test.serial('a schedule moved later publishes at the new moment: with the signal it waits on; without it, the old moment finds it moved', async (t) => {
  const start = await env.currentTimeMs();
  const signalled = fakeStore(start + HOUR);
  await run('cms-publish-later', 'publishCmsEntry', signalled.activities, async (handle) => {
    await firstRead(signalled.store);
    signalled.setDue(start + DAY);
    await handle.signal(RESCHEDULE_SIGNAL);
  });
  t.true(signalled.store.published! >= start + DAY, 'not at the old moment');
  t.deepEqual(signalled.store.attempts.map((a) => a.outcome), ['published']);

  // The signal never came (say the relay is still retrying): the publish activity re-checks.
  const start2 = await env.currentTimeMs();
  const silent = fakeStore(start2 + HOUR);
  await run('cms-publish-later-silent', 'publishCmsEntry', silent.activities, async () => {
    await firstRead(silent.store);
    silent.setDue(start2 + DAY);
  });
  t.deepEqual(silent.store.attempts.map((a) => a.outcome), ['moved', 'published']);
  t.true(silent.store.attempts[0]!.at >= start2 + HOUR && silent.store.attempts[0]!.at < start2 + DAY);
  t.true(silent.store.published! >= start2 + DAY);
});

test.serial('a cleared schedule (signal) ends the workflow, publishing nothing', async (t) => {
  const start = await env.currentTimeMs();
  const { store, activities, setDue } = fakeStore(start + DAY);
  const result = await run('cms-publish-cleared', 'publishCmsEntry', activities, async (handle) => {
    await firstRead(store);
    setDue(null);
    await handle.signal(RESCHEDULE_SIGNAL);
  });
  t.deepEqual(result, { id: 'ent_t', outcome: 'not_scheduled' });
  t.deepEqual(store.attempts, [], 'nothing was published, at the old moment or ever');
});

test.serial('a far schedule is waited for in capped steps, reading the schedule at each', async (t) => {
  const start = await env.currentTimeMs();
  const { store, activities } = fakeStore(start + 75 * DAY);
  const result = await run('cms-publish-far', 'publishCmsEntry', activities);
  t.is(result.outcome, 'published');
  t.true(store.published! >= start + 75 * DAY);
  t.is(store.reads, 3, '30 + 30 + 15 days');
});

test.serial('a scheduled marketing post is published at its scheduled_at', async (t) => {
  const start = await env.currentTimeMs();
  const { store, activities } = fakeStore(start + 3 * HOUR);
  const result = await run('marketing-post', 'publishMarketingPost', activities);
  t.deepEqual(result, { id: 'ent_t', outcome: 'published' });
  t.true(store.published! >= start + 3 * HOUR && store.published! < start + 4 * HOUR);
});
