import { newId } from '../../../platform/ids.ts';
import { CRM_IDS } from '../ids.ts';
import { alreadyExists, ruleViolation } from '../../../platform/errors.ts';
import type { TenantContext } from '../../../kernel/tenant.ts';
import { insertCreated } from '../../../kernel/outbox.ts';
import { lockNaturalKey } from '../../../kernel/locks.ts';
import { containsPattern, findPage, type Page, type PageRequest } from '../../../kernel/pagination.ts';
import { findRow } from '../../../kernel/find-row.ts';
import { DealStageSchema, type DealStage, type StageOutcome } from './entities.ts';
import { serializeDealStage } from './serializers.ts';

export interface NewDealStage {
  key: string;
  name: string;
  position?: number;
  outcome?: StageOutcome;
}

/** Gap left after the last stage when no position is given, so stages can be slotted in between later. */
export const POSITION_STEP = 10;

/**
 * Serialises every stage insert of a workspace (API and provisioning seeder alike), so the key
 * check and the default position are computed against a stable set of stages.
 */
export const lockStages = (ctx: Pick<TenantContext, 'em' | 'workspaceId'>) => lockNaturalKey(ctx.em, 'deal-stages', ctx.workspaceId);

export async function createDealStage(ctx: TenantContext, input: NewDealStage): Promise<DealStage> {
  await lockStages(ctx);
  const existing = await findStageByKey(ctx, input.key);
  if (existing) throw alreadyExists('deal_stage', 'key', existing.id);
  const now = new Date();
  const stage = ctx.em.create(DealStageSchema, {
    id: newId(CRM_IDS.dealStage),
    workspace_id: ctx.workspaceId,
    key: input.key,
    name: input.name,
    position: input.position ?? await nextPosition(ctx),
    outcome: input.outcome ?? 'open',
    created_at: now,
    updated_at: now,
  });
  return insertCreated(ctx, 'deal_stage', stage, serializeDealStage(stage));
}

async function nextPosition(ctx: TenantContext): Promise<number> {
  const last = await ctx.em.findOne(DealStageSchema, { workspace_id: ctx.workspaceId }, { orderBy: { position: 'desc', id: 'desc' } });
  return last ? last.position + POSITION_STEP : POSITION_STEP;
}

/** Read-only (its fields are copied onto deals and events); a stage to change is loaded with em.findOne. */
export function findStageByKey(ctx: TenantContext, key: string): Promise<DealStage | null> {
  return findRow(ctx.em, DealStageSchema, { workspace_id: ctx.workspaceId, key });
}

/** The stage of this key, or 422 naming `field` (the body field that carried the key). */
export async function getStageByKey(ctx: TenantContext, key: string, field = 'stage'): Promise<DealStage> {
  const stage = await findStageByKey(ctx, key);
  if (!stage) throw ruleViolation(field, `No deal stage with key "${key}" exists in this workspace; listDealStages shows the keys.`, { key });
  return stage;
}

/** The open stage with the lowest position: where a deal starts when no stage is given (read-only). */
export async function firstOpenStage(ctx: TenantContext): Promise<DealStage> {
  const stage = await findRow(ctx.em, DealStageSchema, { workspace_id: ctx.workspaceId, outcome: 'open' },
    [{ field: 'position', direction: 'asc' }, { field: 'id', direction: 'asc' }]);
  if (!stage) throw ruleViolation('stage', 'This workspace has no open deal stage to start a deal in; create one with createDealStage or name a stage.');
  return stage;
}

export interface DealStageFilters extends PageRequest { query?: string }

export function listDealStages(ctx: TenantContext, filters: DealStageFilters): Promise<Page<DealStage>> {
  const where = filters.query ? { search_text: { $like: containsPattern(filters.query) } } : {};
  // Pipeline order: the order deals move through the stages.
  return findPage(ctx, DealStageSchema, 'deal_stages', where, filters, { field: 'position', direction: 'asc' });
}
