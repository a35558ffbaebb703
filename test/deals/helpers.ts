// Shared setup of the deal tests: workspaces that hold the default pipeline (seeded by the same
// seeder provisioning runs), and readers of what a write left in the database.
import type { Harness } from '../helpers/harness.ts';
import { seedDefaultPipeline } from '../../modules/crm/deals/pipeline-defaults.ts';

export async function pipelineWorkspace(h: Harness, opts: Parameters<Harness['workspace']>[0] = {}) {
  const ws = await h.workspace(opts);
  await h.inTx(ws.id, seedDefaultPipeline, null);
  return ws;
}

export interface EventRow { type: string; resource_type: string; resource_id: string; request_id: string | null; payload: any }

export const events = (h: Harness, workspaceId: string, type?: string) => h.deps.orm.em.fork().getConnection().execute<EventRow[]>(
  `select type, resource_type, resource_id, request_id, payload from outbox_events where workspace_id = ? ${type ? 'and type = ?' : ''} order by id`,
  type ? [workspaceId, type] : [workspaceId]);

export const activities = (h: Harness, workspaceId: string, dealId: string) => h.deps.orm.em.fork().getConnection().execute<any[]>(
  `select type, summary, body, actor_type, actor_id, related_resource_type, related_resource_id from activities
   where workspace_id = ? and related_resource_id = ? order by id`, [workspaceId, dealId]);
