// Marketing campaigns: a key unique in the workspace, a channel, a status and a date range whose
// start is not after its end.
import type { FilterQuery } from '@mikro-orm/postgresql';
import { newId } from '../../../platform/ids.ts';
import { ruleViolation } from '../../../platform/errors.ts';
import type { BodyOf } from '../../../api/operations.ts';
import type { TenantContext } from '../../../kernel/tenant.ts';
import { insertCreated } from '../../../kernel/outbox.ts';
import { containsPattern, findPage, type Page, type PageRequest } from '../../../kernel/pagination.ts';
import { CMS_IDS } from '../ids.ts';
import { assertUnique, getRecord } from '../records.ts';
import { MarketingCampaignSchema, type CampaignStatus, type MarketingCampaign, type MarketingChannel } from '../entities.ts';
import { serializeCampaign } from '../serializers.ts';

export type NewCampaign = BodyOf<'createMarketingCampaign'>;

export async function createCampaign(ctx: TenantContext, input: NewCampaign): Promise<MarketingCampaign> {
  if (input.start_date && input.end_date && input.end_date < input.start_date) {
    throw ruleViolation('end_date', `end_date ${input.end_date} is before start_date ${input.start_date}.`, { start_date: input.start_date, end_date: input.end_date });
  }
  await assertUnique(ctx, MarketingCampaignSchema, 'marketing_campaign', 'key', input.key);
  const now = new Date();
  const campaign = ctx.em.create(MarketingCampaignSchema, {
    id: newId(CMS_IDS.campaign),
    workspace_id: ctx.workspaceId,
    key: input.key,
    name: input.name,
    description: input.description ?? null,
    channel: input.channel ?? null,
    status: input.status ?? 'draft',
    start_date: input.start_date ?? null,
    end_date: input.end_date ?? null,
    created_at: now,
    updated_at: now,
  });
  return insertCreated(ctx, 'marketing_campaign', campaign, serializeCampaign(campaign));
}

export const getCampaign = (ctx: TenantContext, id: string) => getRecord(ctx, MarketingCampaignSchema, 'marketing_campaign', id);

export interface CampaignFilters extends PageRequest { status?: CampaignStatus; channel?: MarketingChannel; query?: string }

export function listCampaigns(ctx: TenantContext, filters: CampaignFilters): Promise<Page<MarketingCampaign>> {
  const where: FilterQuery<MarketingCampaign> = {};
  if (filters.status) where.status = filters.status;
  if (filters.channel) where.channel = filters.channel;
  if (filters.query) where.search_text = { $like: containsPattern(filters.query) };
  return findPage(ctx, MarketingCampaignSchema, 'marketing_campaigns', where, filters);
}
