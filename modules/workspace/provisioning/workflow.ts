// Seeds a new workspace's defaults, then marks it active. Each step is an idempotent activity,
// so a retried or replayed provisioning never seeds twice.
import { proxyActivities, log } from '@temporalio/workflow';
import type { ProvisioningActivities } from './activities.ts';

const { seedWorkspaceDefaults, activateWorkspace } = proxyActivities<ProvisioningActivities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumAttempts: 5, nonRetryableErrorTypes: ['WorkspaceNotFound'] },
});

export interface ProvisionWorkspaceInput { workspaceId: string }
export interface ProvisionWorkspaceResult { workspaceId: string; seeded: string[] }

export async function provisionWorkspace(input: ProvisionWorkspaceInput): Promise<ProvisionWorkspaceResult> {
  const seeded = await seedWorkspaceDefaults(input.workspaceId);
  await activateWorkspace(input.workspaceId);
  log.info('workspace provisioned', { workspaceId: input.workspaceId, seeded });
  return { workspaceId: input.workspaceId, seeded };
}
