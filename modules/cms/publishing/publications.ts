// The database side of scheduled publishing, for the workflows' activities: the schedule as it
// stands, and publishing that happens only if the schedule is still the one the workflow waited
// for (a moved or cleared schedule never publishes at the old moment). Idempotent: publishing
// clears the schedule, so a retried activity finds nothing left to do.
import { LockMode } from '@mikro-orm/postgresql';
import type { TenantContext } from '../../../kernel/tenant.ts';
import { recordEvent } from '../../../kernel/outbox.ts';
import { CmsEntrySchema, MarketingPostSchema } from '../entities.ts';
import { serializeEntry, serializePost } from '../serializers.ts';
import type { PublishOutcome } from './types.ts';

/** When the entry is to be published (ISO), or null when it is not scheduled (or does not exist). */
export async function entrySchedule(ctx: TenantContext, id: string): Promise<string | null> {
  const entry = await ctx.em.findOne(CmsEntrySchema, { id, workspace_id: ctx.workspaceId }, { refresh: true });
  return entry?.status === 'review' && entry.publish_at ? entry.publish_at.toISOString() : null;
}

export async function publishDueEntry(ctx: TenantContext, id: string, dueAt: string): Promise<PublishOutcome> {
  const entry = await ctx.em.findOne(CmsEntrySchema, { id, workspace_id: ctx.workspaceId }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  if (!entry?.publish_at || entry.status !== 'review') return 'not_scheduled';
  if (entry.publish_at.toISOString() !== dueAt) return 'moved';
  const now = new Date();
  entry.status = 'published';
  entry.published_at = now;
  entry.publish_at = null;
  entry.updated_at = now;
  const payload = serializeEntry(entry);
  recordEvent(ctx, { type: 'cms_entry.updated', resource_type: 'cms_entry', resource_id: id, payload: { ...payload, changed_fields: ['status', 'published_at', 'publish_at'] } });
  recordEvent(ctx, { type: 'cms_entry.published', resource_type: 'cms_entry', resource_id: id, payload });
  await ctx.em.flush();
  return 'published';
}

export async function postSchedule(ctx: TenantContext, id: string): Promise<string | null> {
  const post = await ctx.em.findOne(MarketingPostSchema, { id, workspace_id: ctx.workspaceId }, { refresh: true });
  return post?.status === 'scheduled' && post.scheduled_at ? post.scheduled_at.toISOString() : null;
}

export async function publishDuePost(ctx: TenantContext, id: string, dueAt: string): Promise<PublishOutcome> {
  const post = await ctx.em.findOne(MarketingPostSchema, { id, workspace_id: ctx.workspaceId }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  if (!post?.scheduled_at || post.status !== 'scheduled') return 'not_scheduled';
  if (post.scheduled_at.toISOString() !== dueAt) return 'moved';
  const now = new Date();
  post.status = 'published';
  post.published_at = now;
  post.updated_at = now;
  recordEvent(ctx, { type: 'marketing_post.published', resource_type: 'marketing_post', resource_id: id, payload: serializePost(post) });
  await ctx.em.flush();
  return 'published';
}
