// Shared setup of the deal tests: workspaces that hold the default pipeline (seeded by the same
// seeder provisioning runs), and readers of what a write left in the database.
import type { Harness } from '../helpers/harness.ts';

export { pipelineWorkspace } from '../helpers/fixtures.ts';

export const events = (h: Harness, workspaceId: string, type?: string) => h.events(workspaceId, { type });

export const activities = (h: Harness, workspaceId: string, dealId: string) => h.sql<any>(
  `select type, summary, body, actor_type, actor_id, related_resource_type, related_resource_id from activities
   where workspace_id = ? and related_resource_id = ? order by id`, [workspaceId, dealId]);
