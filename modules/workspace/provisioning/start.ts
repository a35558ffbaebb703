// Creating a workspace: the row and its provisioning command commit together, then the
// provisionWorkspace workflow runs (started at once, or by the relay after a crash).
import type { EntityManager } from '../../../platform/db.ts';
import { createWorkspace, type NewWorkspace } from '../../../kernel/tenancy/workspaces.ts';
import type { Workspace } from '../../../kernel/tenancy/entities.ts';
import { systemTenant } from '../../../kernel/tenant.ts';
import type { RelatedResourceTables } from '../../../kernel/related-resources.ts';
import { enqueueWorkflow } from '../../../kernel/workflow-commands/enqueue.ts';
import type { WorkflowRunner } from '../../../kernel/workflow-commands/runner.ts';
import type { ProvisionWorkspaceInput } from './workflow.ts';
import { inTransaction } from '../../../platform/transaction.ts';

export const provisionWorkflowId = (workspaceId: string) => `workspace-provision-${workspaceId}`;

/** Inserts the workspace with its provisioning command and starts the workflow; returns the row. */
export async function createAndProvisionWorkspace(
  em: EntityManager, runner: WorkflowRunner, resources: RelatedResourceTables, input: NewWorkspace,
): Promise<{ workspace: Workspace; workflowId: string }> {
  const { workspace, commandId } = await inTransaction(em, async (tx) => {
    const workspace = await createWorkspace(tx, input);
    const commandId = enqueueWorkflow(systemTenant(tx, workspace.id, resources), {
      workflowType: 'provisionWorkspace',
      workflowId: provisionWorkflowId(workspace.id),
      resourceId: workspace.id,
      args: [{ workspaceId: workspace.id } satisfies ProvisionWorkspaceInput],
      // A failed provisioning may be run again; a finished one is the answer.
      reuse: 'allow_duplicate_failed_only',
    });
    await tx.flush();
    return { workspace, commandId };
  });
  await runner.dispatch([commandId]).catch(() => new Map());
  return { workspace, workflowId: provisionWorkflowId(workspace.id) };
}
