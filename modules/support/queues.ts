// Support queues: where tickets wait, with the SLA targets their tickets' clocks run against.
import type { FilterQuery } from '@mikro-orm/postgresql';
import { alreadyExists, ruleViolation } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { TenantContext } from '../../kernel/tenant.ts';
import { insertCreated } from '../../kernel/outbox.ts';
import { lockNaturalKey } from '../../kernel/locks.ts';
import { containsPattern, findPage, type Page, type PageRequest } from '../../kernel/pagination.ts';
import { customFieldFilter } from '../../kernel/custom-field-filter.ts';
import { SupportQueueSchema, type QueueStatus, type SupportQueue } from './entities.ts';
import { SUPPORT_IDS } from './ids.ts';
import { serializeQueue } from './serializers.ts';
import { notFoundIn } from './ticket-links.ts';

export interface NewQueue {
  key: string;
  name: string;
  description?: string;
  status?: 'active' | 'paused';
  first_response_target_minutes?: number;
  resolution_target_minutes?: number;
  custom_fields?: Record<string, unknown>;
}

export async function createQueue(ctx: TenantContext, input: NewQueue): Promise<SupportQueue> {
  // Serialises creators of one key, so the duplicate check answers 409 (the unique index backs it up).
  await lockNaturalKey(ctx.em, 'support-queue-key', ctx.workspaceId, input.key);
  const existing = await ctx.em.findOne(SupportQueueSchema, { workspace_id: ctx.workspaceId, key: input.key });
  if (existing) throw alreadyExists('support_queue', 'key', existing.id);
  const now = new Date();
  const queue = ctx.em.create(SupportQueueSchema, {
    id: newId(SUPPORT_IDS.queue),
    workspace_id: ctx.workspaceId,
    key: input.key,
    name: input.name,
    description: input.description ?? null,
    status: input.status ?? 'active',
    first_response_target_minutes: input.first_response_target_minutes ?? null,
    resolution_target_minutes: input.resolution_target_minutes ?? null,
    custom_fields: input.custom_fields ?? {},
    created_at: now,
    updated_at: now,
  });
  return insertCreated(ctx, 'support_queue', queue, serializeQueue(queue));
}

/**
 * The queue a ticket is filed in or moved to: 404 naming `field` when it is not in this workspace,
 * 422 when it is archived (it takes no tickets). A paused queue still takes them: pausing is a
 * routing matter for the people working it.
 */
export async function getQueueForTickets(ctx: TenantContext, id: string, field = 'queue_id'): Promise<SupportQueue> {
  const queue = await ctx.em.findOne(SupportQueueSchema, { id, workspace_id: ctx.workspaceId });
  if (!queue) throw notFoundIn('support_queue', id, field);
  if (queue.status === 'archived') throw ruleViolation(field, `Support queue "${queue.key}" (${id}) is archived and takes no tickets.`, { queue_id: id });
  return queue;
}

export interface QueueFilters extends PageRequest {
  query?: string;
  status?: QueueStatus;
  custom_field_key?: string;
  custom_field_value?: string;
}

/** Newest first; archived queues only when status=archived asks for them. */
export function listQueues(ctx: TenantContext, filters: QueueFilters): Promise<Page<SupportQueue>> {
  const where: FilterQuery<SupportQueue> = { status: filters.status ?? { $ne: 'archived' } };
  if (filters.query) where.search_text = { $like: containsPattern(filters.query) };
  const custom = customFieldFilter(filters.custom_field_key, filters.custom_field_value);
  return findPage(ctx, SupportQueueSchema, 'support_queues', (custom ? { ...where, ...custom } : where) as FilterQuery<SupportQueue>, filters);
}
