// The pipeline every new CRM workspace starts with. Seeded by the provisionWorkspace workflow,
// whose activities retry: inserting on the natural key (workspace_id, key) makes a second run a
// no-op, and a stage the workspace already created under one of these keys is left as it is.
import { newId } from '../../../platform/ids.ts';
import { sql } from '../../../platform/db.ts';
import { recordCreated } from '../../../kernel/outbox.ts';
import type { TenantContext } from '../../../kernel/tenant.ts';
import type { Seeder } from '../../manifest.ts';
import { CRM_IDS } from '../ids.ts';
import type { StageOutcome } from './entities.ts';
import { serializeDealStage } from './serializers.ts';
import { lockStages } from './stages.ts';

export const DEFAULT_PIPELINE: { key: string; name: string; position: number; outcome: StageOutcome }[] = [
  { key: 'discovery', name: 'Discovery', position: 10, outcome: 'open' },
  { key: 'qualified', name: 'Qualified', position: 20, outcome: 'open' },
  { key: 'proposal', name: 'Proposal', position: 30, outcome: 'open' },
  { key: 'closed_won', name: 'Closed won', position: 40, outcome: 'won' },
  { key: 'closed_lost', name: 'Closed lost', position: 50, outcome: 'lost' },
];

interface StageRow { id: string; key: string; name: string; position: number; outcome: StageOutcome; created_at: Date; updated_at: Date }

export async function seedDefaultPipeline(ctx: TenantContext): Promise<void> {
  const { em, workspaceId } = ctx;
  await lockStages(ctx);
  const values = DEFAULT_PIPELINE.map(() => '(?, ?, ?, ?, ?, ?)').join(', ');
  const params = DEFAULT_PIPELINE.flatMap((s) => [newId(CRM_IDS.dealStage), workspaceId, s.key, s.name, s.position, s.outcome]);
  const inserted = await sql<StageRow[]>(em,
    `insert into deal_stages (id, workspace_id, key, name, position, outcome) values ${values}
     on conflict (workspace_id, key) do nothing
     returning id, key, name, position, outcome, created_at, updated_at`,
    params);
  // Only stages this run created are announced, so a re-run records nothing.
  for (const row of inserted) {
    const stage = { ...row, workspace_id: workspaceId, created_at: new Date(row.created_at), updated_at: new Date(row.updated_at) };
    recordCreated(ctx, 'deal_stage', row.id, serializeDealStage(stage));
  }
  await em.flush();
}

export const dealPipelineSeeder: Seeder = { name: 'deal-pipeline', module: 'crm', seed: seedDefaultPipeline };
