// A scheduled artifact's sync run (syncBiArtifactSchedule) whose worker is SIGKILLed while its
// activity is in flight, then replaced: the run ends once, on the replacement, and the Temporal
// Schedule exists once as the row asks. The activity is too fast to kill by timing, so the test
// holds an ACCESS EXCLUSIVE lock on bi_scheduled_artifacts: the activity's read of the row waits
// on it, and the kill lands there (the retry comes after the activity's start-to-close timeout).
import test from 'ava';
import { ScheduleNotFoundError } from '@temporalio/client';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { workerProcesses } from '../helpers/worker-processes.ts';
import { waitUntil } from '../leads/helpers.ts';
import { dealsWorkspace, expectOk, tableDataset } from './helpers.ts';
import { sql } from '../../platform/db.ts';
import { artifactSyncWorkflowId } from '../../modules/bi/artifacts/types.ts';

/** temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED (@temporalio/proto is not a direct dependency). */
const PENDING_ACTIVITY_STATE_STARTED = 2;
const workers = workerProcesses('bi-artifact-sync-crash');
let h: Harness;
const scheduleIds: string[] = [];
test.before(async () => { h = await bootHarness({ TEMPORAL_TASK_QUEUE: workers.queue }); });
test.after.always(async () => {
  for (const id of scheduleIds) {
    await h.deps.temporal.schedule.getHandle(id).delete().catch((err) => { if (!(err instanceof ScheduleNotFoundError)) throw err; });
  }
  await workers.killAll();
  await h?.close();
});

test('a worker killed while the sync activity runs is replaced: one run, on the replacement, and one Schedule as the row asks', async (t) => {
  const ws = await dealsWorkspace(h, 1);
  const ds = await tableDataset(t, ws.client, 'deals');
  // No worker yet: the API starts the sync run, which waits on the queue.
  const artifact = await expectOk(t, ws.client.post('/bi/scheduled-artifacts', {
    name: 'Sync crash', dataset_id: ds.id, cron: '0 8 * * 1', timezone: 'Europe/Paris', recipients: ['ops@example.com'],
  }), 201);
  const scheduleId: string = artifact.schedule_id;
  t.is(scheduleId, `bi-artifact-${artifact.id}`);
  scheduleIds.push(scheduleId);
  const schedule = h.deps.temporal.schedule.getHandle(scheduleId);
  const run = h.deps.temporal.workflow.getHandle(artifactSyncWorkflowId(artifact.id));

  let locked!: () => void;
  let release!: () => void;
  const isLocked = new Promise<void>((ok) => { locked = ok; });
  const released = new Promise<void>((ok) => { release = ok; });
  const lock = h.inTx(ws.id, async (ctx) => {
    await sql(ctx.em, 'lock table bi_scheduled_artifacts in access exclusive mode');
    locked();
    await released;
  });
  await isLocked;

  const first = workers.start();
  let pending;
  try {
    pending = await waitUntil('the sync activity to start on the first worker (the worker bundles its workflows first)', async () => {
      const activity = (await run.describe()).raw.pendingActivities?.[0];
      return activity?.state === PENDING_ACTIVITY_STATE_STARTED ? activity : null;
    }, 240_000, 100);
    await workers.kill(first);
  } finally {
    release();
    await lock;
  }
  t.is(first.signalCode, 'SIGKILL');
  t.is(pending.activityType?.name, 'applyBiArtifactSchedule');
  t.is(pending.lastWorkerIdentity, workers.identity(first), 'the kill landed while the first worker ran the activity');
  await t.throwsAsync(schedule.describe(), { instanceOf: ScheduleNotFoundError }, 'the killed activity had not made the Schedule');

  const second = workers.start();
  t.is(await run.result(), 'created', 'the retry made the Schedule');

  const runs: string[] = [];
  for await (const wf of h.deps.temporal.workflow.list({ query: `WorkflowId = "${artifactSyncWorkflowId(artifact.id)}"` })) runs.push(wf.runId);
  t.is(runs.length, 1, 'one run');
  const events = (await run.fetchHistory()).events ?? [];
  const identities = events.map((e) => e.workflowTaskStartedEventAttributes?.identity).filter(Boolean);
  t.is(identities.at(-1), workers.identity(second), 'the run ended on the replacement worker');
  const retried = events.map((e) => e.activityTaskStartedEventAttributes).find(Boolean);
  t.like(retried, { identity: workers.identity(second), attempt: 2 }, 'the activity retried on the replacement');

  const listSchedules = async () => {
    const ids: string[] = [];
    for await (const s of h.deps.temporal.schedule.list({ query: `ResourceId = "${artifact.id}"` })) ids.push(s.scheduleId);
    return ids;
  };
  t.deepEqual(await waitUntil('the schedule to be listed', async () => { const ids = await listSchedules(); return ids.length ? ids : null; }), [scheduleId], 'one Schedule');
  const made = await schedule.describe();
  t.true((made.spec.calendars?.length ?? 0) > 0, 'Temporal compiled the cron');
  t.is(made.spec.timezone, 'Europe/Paris');
  t.false(made.state.paused);
  const next = made.info.nextActionTimes[0]!;
  t.is(next.getUTCDay(), 1, 'Monday');
  t.true([6, 7].includes(next.getUTCHours()), '08:00 in Paris');

  // A later change still reaches the Schedule (a new sync run, on the replacement).
  await expectOk(t, ws.client.patch(`/bi/scheduled-artifacts/${artifact.id}`, { status: 'paused' }));
  const paused = await waitUntil('the schedule to pause', async () => { const d = await schedule.describe(); return d.state.paused ? d : null; });
  t.is(paused.spec.timezone, 'Europe/Paris');
  t.deepEqual(await listSchedules(), [scheduleId], 'still one Schedule');
});
