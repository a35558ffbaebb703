// Client-side starters for Slab5 workflows (used by the API and the CLI; not in the bundle).
import type { Client } from '@temporalio/client';
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/common';
import { workflowIds } from './ids.ts';
import { WORKSPACE_ID, RESOURCE_ID } from './search-attributes.ts';
import type { ProvisionWorkspaceResult } from './provision-workspace.ts';

export async function provisionWorkspace(temporal: Client, taskQueue: string, workspaceId: string, requestId: string | null = null): Promise<ProvisionWorkspaceResult> {
  const handle = await temporal.workflow.start('provisionWorkspace', {
    taskQueue,
    workflowId: workflowIds.provisionWorkspace(workspaceId),
    args: [{ workspaceId }],
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
    typedSearchAttributes: [
      { key: WORKSPACE_ID, value: workspaceId },
      { key: RESOURCE_ID, value: workspaceId },
    ],
    memo: { request_id: requestId, kind: 'workspace provisioning' },
    workflowExecutionTimeout: '10 minutes',
  });
  return handle.result() as Promise<ProvisionWorkspaceResult>;
}
