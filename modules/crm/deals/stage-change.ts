// What a deal's move to another stage leaves behind besides the row: the `deal.stage_changed`
// event and a system activity on the deal's timeline.
import type { TenantContext } from '../../../kernel/tenant.ts';
import { logActivity } from '../../activity-log/activity-log.ts';
import { recordEvent } from '../../../kernel/outbox.ts';
import type { Deal, DealStage } from './entities.ts';
import { findStageByKey } from './stages.ts';

/** The contract's activity types have no dedicated one for pipeline moves; a note reads right on a timeline. */
export const STAGE_CHANGE_ACTIVITY_TYPE = 'note';

export async function recordStageChange(ctx: TenantContext, deal: Deal, fromKey: string, to: DealStage): Promise<void> {
  recordEvent(ctx, {
    type: 'deal.stage_changed',
    resource_type: 'deal',
    resource_id: deal.id,
    payload: { deal_id: deal.id, from: fromKey, to: to.key, status: deal.status, closed_at: deal.closed_at?.toISOString() ?? null },
  });
  const fromName = (await findStageByKey(ctx, fromKey))?.name ?? fromKey;
  await logActivity(ctx, {
    type: STAGE_CHANGE_ACTIVITY_TYPE,
    summary: `Deal "${deal.name}" moved from ${fromName} to ${to.name}`,
    body: `Stage changed from ${fromKey} to ${to.key}${to.outcome === 'open' ? '' : ` (closed ${to.outcome})`}.`,
    related_resource_type: 'deal',
    related_resource_id: deal.id,
    by: 'system',
  });
}
