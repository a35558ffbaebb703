// Makes an artifact's Temporal Schedule match its row, after every committed change. Changes that
// arrive while it runs signal it, and it applies the row once more: the last change always wins.
import { defineSignal, proxyActivities, setHandler } from '@temporalio/workflow';
import type { ArtifactActivities } from './activities.ts';
import { ARTIFACT_RESYNC_SIGNAL, type ArtifactInput } from './types.ts';

const { applyBiArtifactSchedule } = proxyActivities<ArtifactActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export const resyncSignal = defineSignal(ARTIFACT_RESYNC_SIGNAL);

export async function syncBiArtifactSchedule(input: ArtifactInput): Promise<string> {
  let pending = true;
  setHandler(resyncSignal, () => { pending = true; });
  let outcome = '';
  while (pending) {
    pending = false;
    outcome = await applyBiArtifactSchedule(input);
  }
  return outcome;
}
