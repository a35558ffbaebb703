import type { FilterQuery } from '@mikro-orm/postgresql';
import { newId, ID_PREFIX } from '../../platform/ids.ts';
import type { TenantContext } from '../context.ts';
import { insertCreated } from '../events/outbox.ts';
import { containsPattern, findPage, type Page, type PageRequest } from '../platform/pagination.ts';
import { assertRelatedResource } from '../platform/resources.ts';
import { ACTIVITY_TYPES, ActivitySchema, type Activity, type ActorType } from './entities.ts';

export interface SystemActivity {
  type: string;
  summary: string;
  body?: string | null;
  related_resource_type: string;
  related_resource_id: string;
  actor_type: 'system' | 'api_token';
  occurred_at?: Date;
}

export interface NewActivity {
  type: string;
  summary: string;
  body?: string | null;
  related_resource_type?: string | null;
  related_resource_id?: string | null;
  actor_type: ActorType;
  actor_id?: string | null;
  occurred_at?: Date;
}

export const serializeActivity = (a: Activity) => ({
  id: a.id,
  type: a.type,
  summary: a.summary,
  body: a.body,
  occurred_at: a.occurred_at.toISOString(),
  related_resource_type: a.related_resource_type,
  related_resource_id: a.related_resource_id,
  actor_type: a.actor_type,
  actor_id: a.actor_id,
  created_at: a.created_at.toISOString(),
});

/**
 * Writes an activity the platform itself observed (a lead conversion, a deal stage change) in
 * ctx.em's transaction. The caller vouches that the related resource exists — it usually has
 * just written it, possibly without flushing — so no existence check runs here.
 */
export async function logActivity(ctx: TenantContext, input: SystemActivity): Promise<Activity> {
  return insertActivity(ctx, { ...input, actor_id: null });
}

/** Persists an activity and its `activity.created` event, then flushes. */
export async function insertActivity(ctx: TenantContext, input: NewActivity): Promise<Activity> {
  // A type outside the contract's enum could never be served back; that is a caller's bug.
  if (!(ACTIVITY_TYPES as readonly string[]).includes(input.type)) {
    throw new Error(`Activity type "${input.type}" is not one of ${ACTIVITY_TYPES.join(', ')}.`);
  }
  const now = new Date();
  const activity = ctx.em.create(ActivitySchema, {
    id: newId(ID_PREFIX.activity),
    workspace_id: ctx.workspaceId,
    type: input.type,
    summary: input.summary,
    body: input.body ?? null,
    occurred_at: input.occurred_at ?? now,
    related_resource_type: input.related_resource_type ?? null,
    related_resource_id: input.related_resource_id ?? null,
    actor_type: input.actor_type,
    actor_id: input.actor_type === 'api_token' ? input.actor_id ?? null : null,
    created_at: now,
  });
  return insertCreated(ctx, 'activity', activity, serializeActivity(activity));
}

export interface ActivityInput {
  type: string;
  summary: string;
  body?: string;
  occurred_at?: string;
  related_resource_type?: string;
  related_resource_id?: string;
}

/** An activity an API client logs: the related resource must exist; the token is the actor. */
export async function createActivity(ctx: TenantContext, tokenId: string, input: ActivityInput): Promise<Activity> {
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
    actor_type: 'api_token',
    actor_id: tokenId,
  });
}

export interface ActivityFilters extends PageRequest {
  query?: string;
  type?: string;
  related_resource_type?: string;
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
