// The Temporal Schedule of a scheduled artifact, made to match its row. Catch-up policy: a run
// the Schedule missed (the Temporal server was down) is still started within an hour of its time
// and skipped after that; runs never overlap (one waiting for workers skips the next), so workers
// back after an outage deliver one report, not a backlog.
import { ScheduleNotFoundError, ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import { RESOURCE_ID, WORKSPACE_ID } from '../../../platform/search-attributes.ts';
import type { BiScheduledArtifact } from '../entities.ts';
import { nextRunFromCron } from './rules.ts';
import { artifactScheduleId, type ArtifactInput } from './types.ts';

export const CATCHUP_WINDOW = '1 hour';

function options(row: BiScheduledArtifact, taskQueue: string): ScheduleOptions {
  const input: ArtifactInput = { workspaceId: row.workspace_id, artifactId: row.id };
  const attributes = [{ key: WORKSPACE_ID, value: row.workspace_id }, { key: RESOURCE_ID, value: row.id }];
  return {
    scheduleId: artifactScheduleId(row.id),
    spec: { cronExpressions: [row.cron], timezone: row.timezone },
    action: { type: 'startWorkflow', workflowType: 'biArtifactRun', taskQueue, args: [input], workflowId: artifactScheduleId(row.id), typedSearchAttributes: attributes },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: CATCHUP_WINDOW },
    state: { paused: row.status !== 'active', note: `BI scheduled artifact ${row.id} (${row.name})` },
    typedSearchAttributes: attributes,
  };
}

/** Creates, updates, pauses or deletes the Schedule so it matches the row (null: the row is gone). Idempotent. */
export async function applySchedule(client: Client, taskQueue: string, row: BiScheduledArtifact | null, artifactId: string): Promise<'deleted' | 'created' | 'updated'> {
  const handle = client.schedule.getHandle(artifactScheduleId(artifactId));
  if (!row || row.status === 'archived') {
    try { await handle.delete(); } catch (err) { if (!(err instanceof ScheduleNotFoundError)) throw err; }
    return 'deleted';
  }
  const wanted = options(row, taskQueue);
  try {
    await handle.update(() => ({ spec: wanted.spec, action: wanted.action, policies: wanted.policies, state: wanted.state }) as never);
    return 'updated';
  } catch (err) {
    if (!(err instanceof ScheduleNotFoundError)) throw err;
  }
  await client.schedule.create(wanted);
  return 'created';
}

export interface RunTimes { nextRunAt: Date | null; lastRunAt: Date | null }

/**
 * next_run_at and last_run_at as Temporal has them. Until the sync workflow has created the
 * Schedule (right after the commit), the next run is computed from the cron in its zone.
 */
export async function runTimes(client: Client, row: BiScheduledArtifact): Promise<RunTimes> {
  if (row.status === 'archived') return { nextRunAt: null, lastRunAt: null };
  try {
    const { info, state } = await client.schedule.getHandle(artifactScheduleId(row.id)).describe();
    const last = info.recentActions.at(-1);
    return { nextRunAt: state.paused ? null : info.nextActionTimes[0] ?? null, lastRunAt: last ? last.takenAt : null };
  } catch (err) {
    if (!(err instanceof ScheduleNotFoundError)) throw err;
    return { nextRunAt: row.status === 'active' ? nextRunFromCron(row.cron, row.timezone) : null, lastRunAt: null };
  }
}
