// Domain events go to the outbox in the same transaction as the change that caused them:
// an event exists exactly when its change committed. Webhook delivery consumes the table.
import { newId } from '../platform/ids.ts';
import { KERNEL_IDS } from './ids.ts';
import type { TenantContext } from './tenant.ts';
import { OutboxEventSchema } from './outbox-entity.ts';

export interface DomainEvent {
  type: string;
  resource_type: string;
  resource_id: string;
  payload: Record<string, unknown>;
}

export function recordEvent(ctx: TenantContext, event: DomainEvent): void {
  ctx.em.persist(ctx.em.create(OutboxEventSchema, {
    id: newId(KERNEL_IDS.event),
    workspace_id: ctx.workspaceId,
    request_id: ctx.requestId,
    published_at: null,
    occurred_at: new Date(),
    ...event,
  }));
}

/** `<resource>.created` with the resource as its payload: the one naming rule for creations. */
export function recordCreated(ctx: TenantContext, resourceType: string, resourceId: string, payload: Record<string, unknown>): void {
  recordEvent(ctx, { type: `${resourceType}.created`, resource_type: resourceType, resource_id: resourceId, payload });
}

/** Inserts a new resource together with its `.created` event, in the caller's transaction. */
export async function insertCreated<T extends object & { id: string }>(ctx: TenantContext, resourceType: string, entity: T, payload: Record<string, unknown>): Promise<T> {
  ctx.em.persist(entity);
  recordCreated(ctx, resourceType, entity.id, payload);
  await ctx.em.flush();
  return entity;
}
