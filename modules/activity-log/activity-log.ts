import type { FilterQuery } from '@mikro-orm/postgresql';
import type { BodyOf } from '../../api/operations.ts';
import { newId } from '../../platform/ids.ts';
import { ACTIVITY_LOG_IDS } from './ids.ts';
import { SYSTEM_ACTOR, type Actor, type TenantContext } from '../../kernel/tenant.ts';
import { insertCreated } from '../../kernel/outbox.ts';
import { containsPattern, findPage, type Page, type PageRequest } from '../../kernel/pagination.ts';
import { assertRelatedResource } from '../../kernel/related-resources.ts';
import { ActivitySchema, type Activity, type ActivityType, type RelatedResourceType } from './entities.ts';
import { serializeActivity } from './serializers.ts';

export interface SystemActivity {
  type: ActivityType;
  summary: string;
  body?: string | null;
  related_resource_type: RelatedResourceType;
  related_resource_id: string;
  /** `system` when the platform acted on its own; `caller` for a change a client asked for (its token or MCP client). */
  by: 'system' | 'caller';
  occurred_at?: Date;
}

export interface NewActivity {
  type: ActivityType;
  summary: string;
  body?: string | null;
  related_resource_type?: RelatedResourceType | null;
  related_resource_id?: string | null;
  actor: Actor;
  occurred_at?: Date;
}

/**
 * Writes an activity the platform itself observed (a lead conversion, a deal stage change) in
 * ctx.em's transaction. The caller vouches that the related resource exists — it usually has
 * just written it, possibly without flushing — so no existence check runs here.
 */
export async function logActivity(ctx: TenantContext, input: SystemActivity): Promise<Activity> {
  const { by, ...activity } = input;
  return insertActivity(ctx, { ...activity, actor: by === 'caller' ? ctx.actor : SYSTEM_ACTOR });
}

/** Persists an activity and its `activity.created` event, then flushes. */
export async function insertActivity(ctx: TenantContext, input: NewActivity): Promise<Activity> {
  const now = new Date();
  const activity = ctx.em.create(ActivitySchema, {
    id: newId(ACTIVITY_LOG_IDS.activity),
    workspace_id: ctx.workspaceId,
    type: input.type,
    summary: input.summary,
    body: input.body ?? null,
    occurred_at: input.occurred_at ?? now,
    related_resource_type: input.related_resource_type ?? null,
    related_resource_id: input.related_resource_id ?? null,
    actor_type: input.actor.type,
    actor_id: input.actor.type === 'system' ? null : input.actor.id,
    actor_name: input.actor.type === 'mcp_client' ? input.actor.name : null,
    created_at: now,
  });
  return insertCreated(ctx, 'activity', activity, serializeActivity(activity));
}

export type ActivityInput = BodyOf<'createActivity'>;

/** An activity an API client logs: the related resource must exist; the token is the actor. */
/** An activity a client logs: the related resource must exist; the caller (token or MCP client) is the actor. */
export async function createActivity(ctx: TenantContext, input: ActivityInput): Promise<Activity> {
  if (input.related_resource_type && input.related_resource_id) {
    await assertRelatedResource(ctx, input.related_resource_type, input.related_resource_id);
  }
  return insertActivity(ctx, {
    type: input.type,
    summary: input.summary,
    body: input.body ?? null,
    occurred_at: input.occurred_at ? new Date(input.occurred_at) : undefined,
    related_resource_type: input.related_resource_type ?? null,
    related_resource_id: input.related_resource_id ?? null,
    actor: ctx.actor,
  });
}

export interface ActivityFilters extends PageRequest {
  query?: string;
  type?: ActivityType;
  related_resource_type?: RelatedResourceType;
  related_resource_id?: string;
}

/** Newest `occurred_at` first, ties by id. */
export function listActivities(ctx: TenantContext, filters: ActivityFilters): Promise<Page<Activity>> {
  const where: FilterQuery<Activity> = {};
  if (filters.query) where.search_text = { $like: containsPattern(filters.query) };
  if (filters.type) where.type = filters.type;
  if (filters.related_resource_type) where.related_resource_type = filters.related_resource_type;
  if (filters.related_resource_id) where.related_resource_id = filters.related_resource_id;
  return findPage(ctx, ActivitySchema, 'activities', where, filters, { field: 'occurred_at', direction: 'desc' });
}
