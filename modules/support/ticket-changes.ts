// What every change to a ticket leaves besides the row: `support_ticket.updated` with the fields
// that changed (derived ones included: resolved_at, due times, sla_paused_at), an entry on the
// ticket's activity-log timeline, and its SLA run started or told (sla/tracking.ts).
import type { Schema } from '../../api/operations.ts';
import type { TenantContext } from '../../kernel/tenant.ts';
import { recordEvent } from '../../kernel/outbox.ts';
import { logActivity } from '../activity-log/activity-log.ts';
import type { SupportTicket } from './entities.ts';
import { serializeTicket } from './serializers.ts';
import { clip } from './text.ts';
import { followSla } from './sla/tracking.ts';

type TicketData = Schema<'SupportTicket'>;

/** Changes to these fields move the SLA clock: its run must re-read the ticket. */
const SLA_FIELDS: readonly string[] = ['status', 'queue_id', 'first_responded_at', 'first_response_due_at', 'resolution_due_at', 'sla_paused_at'];

export interface TicketChange {
  changed: string[];
  /** The ticket's running SLA workflow should re-read it once the change commits. */
  nudgeSla: boolean;
}

/** Records the change from `before` (the ticket as it was served) to the ticket now, then flushes. */
export async function recordTicketChange(ctx: TenantContext, before: TicketData, ticket: SupportTicket, now: Date, actor: 'api_token' | 'system' = 'api_token'): Promise<TicketChange> {
  const current = serializeTicket(ticket);
  const changed = (Object.keys(current) as (keyof TicketData)[])
    .filter((field) => field !== 'updated_at' && JSON.stringify(current[field]) !== JSON.stringify(before[field]));
  if (!changed.length) return { changed, nudgeSla: false };
  const nudgeSla = changed.some((field) => SLA_FIELDS.includes(field)) && followSla(ctx, ticket);
  ticket.updated_at = now;
  recordEvent(ctx, { type: 'support_ticket.updated', resource_type: 'support_ticket', resource_id: ticket.id, payload: { ...serializeTicket(ticket), changed_fields: changed } });
  await logActivity(ctx, {
    type: 'note',
    summary: changed.includes('status')
      ? `Ticket "${clip(ticket.subject, 80)}" moved from ${before.status} to ${ticket.status}`
      : `Ticket "${clip(ticket.subject, 80)}" updated: ${changed.join(', ')}`,
    body: changed.map((field) => `${field}: ${show(before[field])} → ${show(current[field])}`).join('\n'),
    related_resource_type: 'support_ticket',
    related_resource_id: ticket.id,
    by: actor === 'system' ? 'system' : 'caller',
    occurred_at: now,
  });
  return { changed, nudgeSla };
}

const show = (value: unknown) => clip(JSON.stringify(value) ?? 'null', 200);
