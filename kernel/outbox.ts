// Domain events go to the outbox in the same transaction as the change that caused them:
// an event exists exactly when its change committed. Webhook delivery consumes the table.
import { newId } from '../platform/ids.ts';
import { KERNEL_IDS } from './ids.ts';
import type { TenantContext } from './tenant.ts';
import { OutboxEventSchema } from './outbox-entity.ts';
import { sql } from '../platform/db.ts';
import { holdBack, markInserted, plainInsertOf } from './insert-row.ts';

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

/**
 * Inserts a new resource together with its `.created` event, in the caller's transaction: one
 * statement for both rows when the resource is a plain row (the common create), else the unit of
 * work's flush. Either way the entity comes back managed, and rows loaded earlier in the unit of
 * work are flushed first, as the flush did.
 */
export async function insertCreated<T extends object & { id: string }>(ctx: TenantContext, resourceType: string, entity: T, payload: Record<string, unknown>): Promise<T> {
  const em = ctx.em;
  ctx.em.persist(entity);
  const row = plainInsertOf(em, entity);
  if (!row) {
    recordCreated(ctx, resourceType, entity.id, payload);
    await em.flush();
    return entity;
  }
  holdBack(em, entity);
  if (em.getUnitOfWork().getIdentityMap().values().length) await em.flush();
  await sql(em,
    `with created as (insert into ${row.table} (${row.columns.join(', ')}) values (${row.values.map(() => '?').join(', ')}))
     insert into outbox_events (id, workspace_id, type, resource_type, resource_id, payload, request_id, occurred_at, published_at)
     values (?, ?, ?, ?, ?, ?::jsonb, ?, ?, null)`,
    [...row.values, newId(KERNEL_IDS.event), ctx.workspaceId, `${resourceType}.created`, resourceType, entity.id, JSON.stringify(payload), ctx.requestId, new Date()]);
  markInserted(em, entity);
  return entity;
}
