// One run of a scheduled artifact, started by its Temporal Schedule: records the run's export
// (one per run, however often the step retries), runs it as the child biExport workflow
// (`bi-export-<id>`, left running for its expiry timer), waits for the child's signal that the
// export settled, then delivers: a mail to every recipient and `bi.artifact.delivered` (which
// reaches subscribed webhook endpoints), or `bi.artifact.failed` with the reason.
import {
  ActivityFailure, ParentClosePolicy, condition, defineSignal, proxyActivities, setHandler, startChild, workflowInfo,
} from '@temporalio/workflow';
import { RESOURCE_ID, WORKSPACE_ID } from '../../../platform/search-attributes.ts';
import type { ArtifactActivities } from './activities.ts';
import type { BiExportInput, ExportProgress } from '../exports/types.ts';
import { exportWorkflowId } from '../exports/types.ts';
import { EXPORT_SETTLED_SIGNAL, type ArtifactInput, type RunOutcome } from './types.ts';

const retry = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' } as const;
const steps = proxyActivities<ArtifactActivities>({ startToCloseTimeout: '1 minute', retry });
// An SMTP server that keeps refusing is a delivery failure after a few tries, not a run stuck forever.
// Heartbeats (every 2 s while mailing): a dead worker's delivery is retried within 10 s, skipping
// the recipients already marked sent.
const mailing = proxyActivities<ArtifactActivities>({ startToCloseTimeout: '2 minutes', heartbeatTimeout: '10 seconds', retry: { ...retry, maximumAttempts: 5 } });

export const exportSettledSignal = defineSignal<[ExportProgress]>(EXPORT_SETTLED_SIGNAL);

export async function biArtifactRun(input: ArtifactInput): Promise<RunOutcome> {
  let settled: ExportProgress | null = null;
  setHandler(exportSettledSignal, (p) => { settled = p; });
  const started = await steps.startBiArtifactExport(input, workflowInfo().workflowId);
  if (started.state === 'skipped') return started;

  const exportInput: BiExportInput = { workspaceId: input.workspaceId, exportId: started.exportId, requestId: null };
  await startChild('biExport', {
    workflowId: exportWorkflowId(started.exportId), args: [exportInput], parentClosePolicy: ParentClosePolicy.ABANDON,
    typedSearchAttributes: [{ key: WORKSPACE_ID, value: input.workspaceId }, { key: RESOURCE_ID, value: started.exportId }],
  });
  await condition(() => settled !== null);
  try {
    return await mailing.deliverBiArtifact(input, started.exportId);
  } catch (err) {
    const cause = err instanceof ActivityFailure ? err.cause : err;
    const reason = cause instanceof Error ? cause.message : String(cause);
    await steps.recordBiArtifactFailure(input, started.exportId, `The delivery failed: ${reason}`);
    return { state: 'failed', exportId: started.exportId, reason };
  }
}
