// Marketing posts: a channel, a body, an optional campaign (which must exist) and assets; a
// scheduled post has a future scheduled_at, when its publishing workflow publishes it.
import type { FilterQuery } from '@mikro-orm/postgresql';
import { newId } from '../../../platform/ids.ts';
import { notFound, ruleViolation, validationFailed } from '../../../platform/errors.ts';
import type { BodyOf } from '../../../api/operations.ts';
import type { TenantContext } from '../../../kernel/tenant.ts';
import { insertCreated } from '../../../kernel/outbox.ts';
import { assertRelatedResource } from '../../../kernel/related-resources.ts';
import { containsPattern, findPage, type Page, type PageRequest } from '../../../kernel/pagination.ts';
import { CMS_IDS } from '../ids.ts';
import { MarketingPostSchema, type MarketingChannel, type MarketingPost, type PostStatus } from '../entities.ts';
import { serializePost } from '../serializers.ts';
import { requestPostPublishing } from '../publishing/schedule.ts';
import { getCampaign } from './campaigns.ts';

export type NewPost = BodyOf<'createMarketingPost'>;

const ASSET_ID = /^asset_[A-Za-z0-9_-]+$/;

export async function createPost(ctx: TenantContext, input: NewPost): Promise<MarketingPost> {
  const status = input.status ?? 'draft';
  const now = new Date();
  const scheduledAt = scheduleOf(status, input.scheduled_at, now);
  if (input.campaign_id) await getCampaign(ctx, input.campaign_id);
  const assetIds = input.asset_ids ?? [];
  await assertAssets(ctx, assetIds);
  const post = ctx.em.create(MarketingPostSchema, {
    id: newId(CMS_IDS.post),
    workspace_id: ctx.workspaceId,
    campaign_id: input.campaign_id ?? null,
    channel: input.channel,
    title: input.title ?? null,
    body: input.body,
    status,
    scheduled_at: scheduledAt,
    published_at: null,
    external_url: null,
    asset_ids: assetIds,
    created_at: now,
    updated_at: now,
  });
  if (scheduledAt) requestPostPublishing(ctx, post.id);
  return insertCreated(ctx, 'marketing_post', post, serializePost(post));
}

/** A scheduled post needs a future scheduled_at; a draft takes none (nothing would publish it). */
function scheduleOf(status: PostStatus, scheduledAt: string | undefined, now: Date): Date | null {
  if (status !== 'scheduled') {
    if (scheduledAt !== undefined) throw ruleViolation('scheduled_at', `scheduled_at is when a scheduled post is published; this post is ${status}: send status "scheduled" with it.`, { status });
    return null;
  }
  if (scheduledAt === undefined) throw validationFailed([{ field: 'scheduled_at', problem: 'is required when status is scheduled' }]);
  const at = new Date(scheduledAt);
  if (!(at.getTime() > now.getTime())) throw validationFailed([{ field: 'scheduled_at', problem: `must be in the future (it is ${scheduledAt}; now is ${now.toISOString()})` }]);
  return at;
}

/**
 * Each asset must exist in the workspace (404 naming it) once the assets module registers the
 * `asset` type; until then an id is only checked for its shape (one that cannot be an asset id is
 * not found either).
 */
async function assertAssets(ctx: TenantContext, ids: string[]): Promise<void> {
  for (const id of ids) {
    if (!ASSET_ID.test(id)) throw notFound('asset', id);
    if (ctx.resources.has('asset')) await assertRelatedResource(ctx, 'asset', id, 'asset_ids');
  }
}

export interface PostFilters extends PageRequest { campaign_id?: string; channel?: MarketingChannel; status?: PostStatus; query?: string }

export function listPosts(ctx: TenantContext, filters: PostFilters): Promise<Page<MarketingPost>> {
  const where: FilterQuery<MarketingPost> = {};
  if (filters.campaign_id) where.campaign_id = filters.campaign_id;
  if (filters.channel) where.channel = filters.channel;
  if (filters.status) where.status = filters.status;
  if (filters.query) where.search_text = { $like: containsPattern(filters.query) };
  return findPage(ctx, MarketingPostSchema, 'marketing_posts', where, filters);
}
