// Operator actions shared by the CLI, the dev stack's first run and the tests.
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import { createWorkspace, serializeWorkspace, getWorkspaceById, type NewWorkspace } from '../../domain/workspace/service.ts';
import { provisionWorkspace, rootCauseMessage } from '../../workflows/start.ts';

export class ProvisioningFailed extends Error {}

export const DEFAULT_PROVISION_WAIT_MS = 60_000;

export async function createProvisionedWorkspace(deps: { orm: MikroORM; temporal: Client; taskQueue: string }, input: NewWorkspace, waitMs = DEFAULT_PROVISION_WAIT_MS) {
  const workspace = await createWorkspace(deps.orm.em.fork(), input);
  let timer: NodeJS.Timeout | undefined;
  // Without a worker on the task queue the workflow waits (it finishes once one starts); the
  // operator hears that after waitMs instead of a silent hang.
  const stillRunning = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ProvisioningFailed(
      `Workspace ${workspace.id} was created, but provisioning has not finished after ${Math.round(waitMs / 1000)}s. ` +
      `Is a worker running on task queue "${deps.taskQueue}"? Workflow workspace-provision-${workspace.id} will finish once one is; see the Temporal UI.`)), waitMs);
  });
  try {
    await Promise.race([provisionWorkspace(deps.temporal, deps.taskQueue, workspace.id), stillRunning]);
  } catch (err) {
    if (err instanceof ProvisioningFailed) throw err;
    const cause = rootCauseMessage(err);
    throw new ProvisioningFailed(`Workspace ${workspace.id} was created but provisioning failed: ${cause}. ` +
      `Look up workflow workspace-provision-${workspace.id} in the Temporal UI.`);
  } finally {
    clearTimeout(timer);
  }
  const fresh = await getWorkspaceById(deps.orm.em.fork(), workspace.id);
  return serializeWorkspace(fresh!);
}
