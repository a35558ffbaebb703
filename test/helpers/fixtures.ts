// Fixtures more than one module's tests need.
import { seedDefaultPipeline } from '../../modules/crm/deals/pipeline-defaults.ts';
import type { Harness } from './harness.ts';

/** A workspace holding the default deal pipeline (seeded by the seeder provisioning runs). */
export async function pipelineWorkspace(h: Harness, opts: Parameters<Harness['workspace']>[0] = {}) {
  const ws = await h.workspace(opts);
  await h.inTx(ws.id, seedDefaultPipeline, null);
  return ws;
}
