import { ApplicationFailure } from '@temporalio/common';
import { systemTenant } from '../../../kernel/tenant.ts';
import { getWorkspaceById, markProvisioned } from '../../../kernel/tenancy/workspaces.ts';
import type { ActivityDeps } from '../../manifest.ts';
import { inTransaction } from '../../../platform/transaction.ts';

export function createProvisioningActivities(deps: ActivityDeps) {
  return {
    /** Runs every enabled module's seeder, each in its own transaction. */
    async seedWorkspaceDefaults(workspaceId: string): Promise<string[]> {
      const em = deps.orm.em.fork();
      const workspace = await getWorkspaceById(em, workspaceId);
      if (!workspace) throw ApplicationFailure.nonRetryable(`No workspace with id ${workspaceId}.`, 'WorkspaceNotFound');
      const applied: string[] = [];
      for (const seeder of deps.seeders) {
        if (seeder.module && !workspace.enabled_modules.includes(seeder.module)) continue;
        await inTransaction(em, (tx) => seeder.seed(systemTenant(tx, workspaceId, deps.resources)));
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
