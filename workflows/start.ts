// Client-side starters for Slab5 workflows (used by the API and the CLI; not in the bundle).
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/common';
import { workflowIds } from './ids.ts';
import { WORKSPACE_ID, RESOURCE_ID } from './search-attributes.ts';
import type { ProvisionWorkspaceResult } from './provision-workspace.ts';

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

/** The innermost failure message of a workflow or activity error: the business reason. */
export function rootCauseMessage(err: unknown): string {
  let current = err as { message?: string; cause?: unknown } | undefined;
  while (current?.cause) current = current.cause as typeof current;
  return current?.message ?? String(err);
}
