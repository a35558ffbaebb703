// Operator actions shared by the CLI, the dev stack's first run and the tests.
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import { createWorkspace, serializeWorkspace, getWorkspaceById, type NewWorkspace } from '../../domain/workspace/service.ts';
import { provisionWorkspace, rootCauseMessage } from '../../workflows/start.ts';

export class ProvisioningFailed extends Error {}

export async function createProvisionedWorkspace(deps: { orm: MikroORM; temporal: Client; taskQueue: string }, input: NewWorkspace) {
  const workspace = await createWorkspace(deps.orm.em.fork(), input);
  try {
    await provisionWorkspace(deps.temporal, deps.taskQueue, workspace.id);
  } catch (err) {
    const cause = rootCauseMessage(err);
    throw new ProvisioningFailed(`Workspace ${workspace.id} was created but provisioning failed: ${cause}. ` +
      `Is the worker running on task queue "${deps.taskQueue}"? Look up workflow workspace-provision-${workspace.id} in the Temporal UI.`);
  }
  const fresh = await getWorkspaceById(deps.orm.em.fork(), workspace.id);
  return serializeWorkspace(fresh!);
}
