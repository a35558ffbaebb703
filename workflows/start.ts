// Client-side starters for Slab5 workflows (used by the API and the CLI; not in the bundle).
import { WorkflowExecutionAlreadyStartedError, WorkflowFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure, WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/common';
import { workflowIds } from './ids.ts';
import { WORKSPACE_ID, RESOURCE_ID } from './search-attributes.ts';
import type { ProvisionWorkspaceResult } from './provision-workspace.ts';
import { CONVERSION_FAILED, type ConversionFailureDetails, type ConvertLeadInput, type ConvertLeadResult } from '../domain/leads/conversion-types.ts';

export async function provisionWorkspace(temporal: Client, taskQueue: string, workspaceId: string, requestId: string | null = null): Promise<ProvisionWorkspaceResult> {
  const workflowId = workflowIds.provisionWorkspace(workspaceId);
  const handle = await temporal.workflow.start('provisionWorkspace', {
    taskQueue,
    workflowId,
    args: [{ workspaceId }],
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
    typedSearchAttributes: [
      { key: WORKSPACE_ID, value: workspaceId },
      { key: RESOURCE_ID, value: workspaceId },
    ],
    memo: { request_id: requestId, kind: 'workspace provisioning' },
    workflowExecutionTimeout: '10 minutes',
  }).catch((err) => {
    // Already provisioned: the finished run's result is the answer.
    if (err instanceof WorkflowExecutionAlreadyStartedError) return temporal.workflow.getHandle(workflowId);
    throw err;
  });
  return handle.result() as Promise<ProvisionWorkspaceResult>;
}

/** Starts the lead's conversion, or joins the one running: the run that owns it is returned. */
export async function startConvertLead(temporal: Client, taskQueue: string, input: ConvertLeadInput): Promise<{ workflowId: string; runId: string }> {
  const workflowId = workflowIds.convertLead(input.leadId);
  const handle = await temporal.workflow.start('convertLead', {
    taskQueue,
    workflowId,
    args: [input],
    // A retried request joins the running conversion; after a failed one a new run may start
    // (a converted lead never gets here: the API answers it without a workflow).
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
    typedSearchAttributes: [
      { key: WORKSPACE_ID, value: input.workspaceId },
      { key: RESOURCE_ID, value: input.leadId },
    ],
    memo: { request_id: input.requestId, kind: 'lead conversion' },
  });
  return { workflowId, runId: handle.firstExecutionRunId };
}

export type ConversionOutcome =
  | { state: 'completed'; result: ConvertLeadResult }
  | { state: 'failed'; failure: ConversionFailureDetails }
  | { state: 'running' };

/** The conversion run's outcome if it ends within waitMs, else `running`. */
export async function awaitConvertLead(temporal: Client, run: { workflowId: string; runId: string }, waitMs: number): Promise<ConversionOutcome> {
  if (waitMs <= 0) return { state: 'running' };
  const signal = AbortSignal.timeout(waitMs);
  try {
    const result = await temporal.withAbortSignal(signal, () => temporal.workflow.getHandle(run.workflowId, run.runId).result());
    return { state: 'completed', result: result as ConvertLeadResult };
  } catch (err) {
    if (err instanceof WorkflowFailedError && err.cause instanceof ApplicationFailure && err.cause.type === CONVERSION_FAILED) {
      return { state: 'failed', failure: err.cause.details?.[0] as ConversionFailureDetails };
    }
    if (signal.aborted) return { state: 'running' };
    throw err;
  }
}

/** The innermost failure message of a workflow or activity error: the business reason. */
export function rootCauseMessage(err: unknown): string {
  let current = err as { message?: string; cause?: unknown } | undefined;
  while (current?.cause) current = current.cause as typeof current;
  return current?.message ?? String(err);
}
