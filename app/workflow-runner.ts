// Starts committed workflow commands on Temporal and waits for runs (kernel/workflow-commands).
// The API dispatches a write's commands right after its commit; the worker's relay dispatches
// whatever is still pending after a grace period (the API crashed, Temporal was unreachable).
// Each command row is locked while it is dispatched, so two dispatchers never start it twice,
// and a start that finds the workflow id taken by the same work (memo dedup_key) counts as done.
import {
  WorkflowExecutionAlreadyStartedError, WorkflowFailedError, WorkflowNotFoundError, type Client,
} from '@temporalio/client';
import { ApplicationFailure, WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/common';
import { sql, type MikroORM } from '../platform/db.ts';
import type { Logger } from '../platform/logger.ts';
import { RESOURCE_ID, WORKSPACE_ID } from '../platform/search-attributes.ts';
import type { WorkflowReuse } from '../kernel/workflow-commands/entity.ts';
import type { WorkflowOutcome, WorkflowRunner } from '../kernel/workflow-commands/runner.ts';
import { repeat, type Loop } from './pollers.ts';
import { inTransaction } from '../platform/transaction.ts';

interface CommandRow {
  id: string; workspace_id: string; workflow_type: string; workflow_id: string; resource_id: string;
  args: unknown[]; dedup_key: string; reuse: WorkflowReuse; request_id: string | null; attempts: number; signal: string | null;
}

const REUSE: Record<WorkflowReuse, WorkflowIdReusePolicy> = {
  reject_duplicate: WorkflowIdReusePolicy.REJECT_DUPLICATE,
  allow_duplicate: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
  allow_duplicate_failed_only: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
};

/** The workflow id is held by other work that is still running: try again later. */
class IdBusy extends Error {}
/** The workflow id is held for good by other work: this command can never start. */
class IdTaken extends Error {}

const MAX_BACKOFF_MS = 60_000;
/** How long a signal may take before the caller goes on without it. */
const SIGNAL_TIMEOUT_MS = 2_000;

export interface CommandDispatcher extends WorkflowRunner {
  /** Dispatches the pending commands that are due; returns how many it looked at. */
  relayOnce: (batch?: number) => Promise<number>;
}

export interface RunnerDeps {
  orm: MikroORM;
  temporal: Client;
  taskQueue: string;
  logger: Logger;
  /**
   * The client shares the NativeConnection of a worker on taskQueue (the worker process): starts
   * ask for eager execution, so the first workflow task runs there without a trip through the
   * task queue (about 1.6 times the starts per second measured on the dev server).
   */
  eagerStart?: boolean;
}

export function createWorkflowRunner(deps: RunnerDeps): CommandDispatcher {
  const start = async (row: CommandRow): Promise<string> => {
    // A command that resumes other work joins that work's run when it is running or finished,
    // even where the reuse policy would allow a new run.
    if (row.dedup_key !== row.id) {
      const latest = await deps.temporal.workflow.getHandle(row.workflow_id).describe().catch(() => null);
      if (latest && latest.memo?.dedup_key === row.dedup_key && ['RUNNING', 'COMPLETED'].includes(latest.status.name)) return latest.runId;
    }
    const options = {
      taskQueue: deps.taskQueue,
      workflowId: row.workflow_id,
      args: row.args,
      workflowIdReusePolicy: REUSE[row.reuse],
      typedSearchAttributes: [
        { key: WORKSPACE_ID, value: row.workspace_id },
        { key: RESOURCE_ID, value: row.resource_id },
      ],
      memo: { request_id: row.request_id, command_id: row.id, dedup_key: row.dedup_key },
    };
    try {
      // Signal-with-start joins a running workflow of the id (it gets the signal) or starts one.
      if (row.signal) return (await deps.temporal.workflow.signalWithStart(row.workflow_type, { ...options, signal: row.signal })).signaledRunId;
      const handle = await deps.temporal.workflow.start(row.workflow_type, { ...options, workflowIdConflictPolicy: WorkflowIdConflictPolicy.FAIL, requestEagerStart: deps.eagerStart ?? false });
      return handle.firstExecutionRunId;
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      const existing = await deps.temporal.workflow.getHandle(row.workflow_id).describe();
      if (existing.memo?.dedup_key === row.dedup_key) return existing.runId;
      if (existing.status.name === 'RUNNING') throw new IdBusy(`workflow ${row.workflow_id} is running other work (run ${existing.runId})`);
      throw new IdTaken(`workflow ${row.workflow_id} is taken by a ${existing.status.name} run of other work, and its reuse policy (${row.reuse}) forbids another`);
    }
  };

  const dispatchOne = (id: string): Promise<string | null> => inTransaction(deps.orm.em.fork(), async (tx) => {
    const [row] = await sql<CommandRow[]>(tx,
      `select id, workspace_id, workflow_type, workflow_id, resource_id, args, dedup_key, reuse, request_id, attempts, signal
       from workflow_commands where id = ? and dispatched_at is null and abandoned_at is null for update skip locked`, [id]);
    if (!row) {
      // Dispatched already, or being dispatched by someone else right now.
      const [done] = await sql<{ run_id: string | null }[]>(tx, 'select run_id from workflow_commands where id = ?', [id]);
      return done?.run_id ?? null;
    }
    try {
      const runId = await start(row);
      await sql(tx, 'update workflow_commands set dispatched_at = now(), run_id = ?, attempts = attempts + 1, last_error = null where id = ?', [runId, id]);
      return runId;
    } catch (err) {
      const message = (err as Error).message;
      if (err instanceof IdTaken) {
        deps.logger.error({ command: id, workflowId: row.workflow_id, err: message }, 'workflow command abandoned');
        await sql(tx, 'update workflow_commands set abandoned_at = now(), last_error = ? where id = ?', [message, id]);
      } else {
        const backoff = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** row.attempts);
        deps.logger.warn({ command: id, workflowId: row.workflow_id, err: message, retryInMs: backoff }, 'workflow start failed; the relay retries');
        await sql(tx, `update workflow_commands set attempts = attempts + 1, last_error = ?, next_attempt_at = now() + (? * interval '1 millisecond') where id = ?`,
          [message, backoff, id]);
      }
      return null;
    }
  });

  return {
    async dispatch(commandIds) {
      const runs = new Map<string, string>();
      for (const id of commandIds) {
        const runId = await dispatchOne(id);
        if (runId) runs.set(id, runId);
      }
      return runs;
    },

    async awaitOutcome<T>(run: { workflowId: string; runId?: string | null }, waitMs: number): Promise<WorkflowOutcome<T>> {
      if (waitMs <= 0) return { state: 'running' };
      const signal = AbortSignal.timeout(waitMs);
      try {
        const handle = deps.temporal.workflow.getHandle(run.workflowId, run.runId ?? undefined);
        const result = await deps.temporal.withAbortSignal(signal, () => handle.result());
        return { state: 'completed', result: result as T };
      } catch (err) {
        if (err instanceof WorkflowFailedError) {
          const cause = err.cause;
          return cause instanceof ApplicationFailure
            ? { state: 'failed', failure: { type: cause.type ?? null, message: cause.message, details: cause.details ?? [] } }
            : { state: 'failed', failure: { type: null, message: cause?.message ?? err.message, details: [] } };
        }
        if (signal.aborted) return { state: 'running' };
        throw err;
      }
    },

    async signal(workflowId, signalName) {
      try {
        await deps.temporal.withAbortSignal(AbortSignal.timeout(SIGNAL_TIMEOUT_MS),
          () => deps.temporal.workflow.getHandle(workflowId).signal(signalName));
        return true;
      } catch (err) {
        // No open run is an ordinary answer; anything else is worth a line.
        if (!(err instanceof WorkflowNotFoundError)) deps.logger.warn({ workflowId, signal: signalName, err: (err as Error).message }, 'workflow signal not delivered');
        return false;
      }
    },

    async relayOnce(batch = 100) {
      const due = await sql<{ id: string }[]>(deps.orm.em.fork(),
        `select id from workflow_commands where dispatched_at is null and abandoned_at is null and next_attempt_at <= now()
         order by next_attempt_at limit ?`, [batch]);
      for (const { id } of due) await dispatchOne(id);
      return due.length;
    },
  };
}

/** Runs the relay every intervalMs until stopped; one pass at a time. */
export function startCommandRelay(dispatcher: CommandDispatcher, logger: Logger, intervalMs: number): Loop {
  return repeat(() => dispatcher.relayOnce(), { intervalMs, onError: (err) => logger.warn({ err }, 'workflow command relay pass failed') });
}
