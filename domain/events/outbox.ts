// Domain events go to the outbox in the same transaction as the change that caused them:
// an event exists exactly when its change committed. Webhook delivery consumes the table.
import { newId, ID_PREFIX } from '../../platform/ids.ts';
import type { TenantContext } from '../context.ts';
import { OutboxEventSchema } from './entities.ts';

export interface DomainEvent {
  type: string;
  resource_type: string;
  resource_id: string;
  payload: Record<string, unknown>;
}

export function recordEvent(ctx: TenantContext, event: DomainEvent): void {
  ctx.em.persist(ctx.em.create(OutboxEventSchema, {
    id: newId(ID_PREFIX.event),
    workspace_id: ctx.workspaceId,
    request_id: ctx.requestId,
    published_at: null,
    occurred_at: new Date(),
    ...event,
  }));
}
