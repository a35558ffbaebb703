// Exports one BI query to a file: the export activity streams the rows out of the sandbox into
// DuckDB's own writers, uploads the file and records it; a durable timer then deletes the file
// when it expires. The activity reports its progress to this workflow (a signal), which answers
// it to the `progress` query for an operator in the Temporal UI. The activity is idempotent (the
// same object key, overwritten whole), so a worker killed mid-export leaves a retry that writes
// one complete file. A refused source (gone, archived, bad SQL) or repeated failures end the
// export `failed` with a readable error.
import {
  ActivityFailure, ApplicationFailure, defineQuery, defineSignal, getExternalWorkflowHandle, proxyActivities, setHandler, sleep, workflowInfo,
} from '@temporalio/workflow';
import type { ExportActivities } from './activities.ts';
import { EXPORT_SETTLED_SIGNAL } from '../artifacts/types.ts';
import {
  EXPORT_PROGRESS_QUERY, EXPORT_PROGRESS_SIGNAL, EXPORT_REFUSED, type BiExportInput, type ExportProgress,
} from './types.ts';

export const progressQuery = defineQuery<ExportProgress>(EXPORT_PROGRESS_QUERY);
export const progressSignal = defineSignal<[ExportProgress]>(EXPORT_PROGRESS_SIGNAL);

const MAX_ATTEMPTS = 5;
const retry = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' } as const;
// A 1M-row export takes a minute or two; heartbeats show it is alive, so a dead worker's attempt
// is retried elsewhere within 30 s.
const exporting = proxyActivities<ExportActivities>({
  startToCloseTimeout: '2 hours', heartbeatTimeout: '30 seconds', retry: { ...retry, maximumAttempts: MAX_ATTEMPTS },
});
const steps = proxyActivities<ExportActivities>({ startToCloseTimeout: '1 minute', retry });

export async function biExport(input: BiExportInput): Promise<ExportProgress> {
  let state: ExportProgress = { status: 'queued', progress: 0, rows_written: 0, planned_rows: null };
  setHandler(progressQuery, () => state);
  // Signals from an earlier attempt may arrive late: progress only moves forward within a run.
  setHandler(progressSignal, (p) => { if (state.status === 'queued' || state.status === 'running') state = p.progress >= state.progress ? p : state; });

  let done;
  try {
    done = await exporting.runBiExport(input);
  } catch (err) {
    const error = exportError(err);
    await steps.failBiExport(input, error);
    state = { ...state, status: 'failed' };
    await tellParent(state);
    return state;
  }
  state = { status: 'succeeded', progress: 100, rows_written: done.rowCount, planned_rows: state.planned_rows ?? done.rowCount };
  await tellParent(state);
  // Workflow time is deterministic: a replay waits for the same instant.
  const wait = Date.parse(done.expiresAt) - Date.now();
  if (wait > 0) await sleep(wait);
  await steps.expireBiExport(input);
  return state;
}

/** A scheduled run that started this export waits for it to settle (it is gone: nobody to tell). */
async function tellParent(state: ExportProgress): Promise<void> {
  const parent = workflowInfo().parent;
  if (!parent) return;
  try {
    await getExternalWorkflowHandle(parent.workflowId, parent.runId).signal(EXPORT_SETTLED_SIGNAL, state);
  } catch { /* the run ended (terminated by an operator): the export stands on its own */ }
}

/** The readable reason an export failed: the refusal's own code, or the last attempt's message. */
function exportError(err: unknown): { code: string; message: string } {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure && cause.type === EXPORT_REFUSED) {
    const details = cause.details?.[0] as { code?: string } | undefined;
    return { code: details?.code ?? 'export_refused', message: cause.message };
  }
  const message = cause instanceof Error ? cause.message : String(cause);
  return { code: 'export_failed', message: `The export failed after ${MAX_ATTEMPTS} attempts: ${message}` };
}
