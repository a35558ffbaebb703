// Operator actions shared by the CLI, the dev stack's first run and the tests.
import type { Client } from '@temporalio/client';
import type { MikroORM } from '../../platform/db.ts';
import type { Logger } from '../../platform/logger.ts';
import { getWorkspaceById, type NewWorkspace } from '../../kernel/tenancy/workspaces.ts';
import { createAndProvisionWorkspace } from '../../modules/workspace/provisioning/start.ts';
import { serializeWorkspace } from '../../modules/workspace/serializers.ts';
import { registry } from '../../app/modules.ts';
import { createWorkflowRunner } from '../../app/workflow-runner.ts';

export class ProvisioningFailed extends Error {}

export const DEFAULT_PROVISION_WAIT_MS = 60_000;

export async function createProvisionedWorkspace(
  deps: { orm: MikroORM; temporal: Client; taskQueue: string; logger?: Logger }, input: NewWorkspace, waitMs = DEFAULT_PROVISION_WAIT_MS,
) {
  const runner = createWorkflowRunner({ ...deps, logger: deps.logger ?? silentLogger });
  const { workspace, workflowId } = await createAndProvisionWorkspace(deps.orm.em.fork(), runner, registry.resources, input);
  const outcome = await runner.awaitOutcome({ workflowId }, waitMs);
  if (outcome.state === 'running') {
    // Without a worker on the task queue the workflow waits (it finishes once one starts); the
    // operator hears that after waitMs instead of a silent hang.
    throw new ProvisioningFailed(
      `Workspace ${workspace.id} was created, but provisioning has not finished after ${Math.round(waitMs / 1000)}s. ` +
      `Is a worker running on task queue "${deps.taskQueue}"? Workflow ${workflowId} will finish once one is; see the Temporal UI.`);
  }
  if (outcome.state === 'failed') {
    throw new ProvisioningFailed(`Workspace ${workspace.id} was created but provisioning failed: ${outcome.failure.message}. ` +
      `Look up workflow ${workflowId} in the Temporal UI.`);
  }
  const fresh = await getWorkspaceById(deps.orm.em.fork(), workspace.id);
  return serializeWorkspace(fresh!);
}

const silentLogger = { warn: () => {}, error: () => {}, info: () => {}, debug: () => {} } as unknown as Logger;
