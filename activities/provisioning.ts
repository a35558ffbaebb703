import { ApplicationFailure } from '@temporalio/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import { getWorkspaceById, markProvisioned } from '../domain/workspace/service.ts';
import { seeders } from '../domain/workspace/provisioning.ts';

export function createProvisioningActivities(deps: { orm: MikroORM }) {
  return {
    async seedWorkspaceDefaults(workspaceId: string): Promise<string[]> {
      const em = deps.orm.em.fork();
      const workspace = await getWorkspaceById(em, workspaceId);
      if (!workspace) throw ApplicationFailure.nonRetryable(`No workspace with id ${workspaceId}.`, 'WorkspaceNotFound');
      const applied: string[] = [];
      for (const seeder of seeders) {
        if (seeder.module && !workspace.enabled_modules.includes(seeder.module)) continue;
        await em.transactional((tx) => seeder.seed(tx, workspaceId));
        applied.push(seeder.name);
      }
      return applied;
    },
    async activateWorkspace(workspaceId: string): Promise<void> {
      await markProvisioned(deps.orm.em.fork(), workspaceId);
    },
  };
}

export type ProvisioningActivities = ReturnType<typeof createProvisioningActivities>;
