// Keeps an archived asset's object for the retention period, then deletes it. A durable timer:
// the sleep survives worker restarts and deploys, and an operator sees the pending deletion (and
// its ResourceId) in the Temporal UI.
import { proxyActivities, sleep } from '@temporalio/workflow';
import type { RetentionActivities } from './activities.ts';
import type { AssetRetentionInput } from './types.ts';

const { purgeArchivedAsset } = proxyActivities<RetentionActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

export async function assetRetention(input: AssetRetentionInput): Promise<{ purged: boolean }> {
  // Workflow time is deterministic; a start the relay delayed still deletes on the due date.
  const wait = Date.parse(input.purgeAfter) - Date.now();
  if (wait > 0) await sleep(wait);
  return purgeArchivedAsset(input);
}
