// The SLA workflow's one read, in one transaction under the ticket's row lock: marks the targets
// missed by `now` (idempotent: a marked breach is not marked again), answers the next due time, and
// when nothing is left to watch, releases the ticket (sla_run_active) so the next write that needs
// a run starts one.
import { LockMode } from '@mikro-orm/postgresql';
import type { TenantContext } from '../../../kernel/tenant.ts';
import { recordEvent } from '../../../kernel/outbox.ts';
import { logActivity } from '../../activity-log/activity-log.ts';
import { SupportTicketSchema, type SupportTicket } from '../entities.ts';
import { clip } from '../text.ts';
import { markBreached, readClock } from './clock.ts';
import type { SlaCheck, SlaTarget } from './types.ts';

const TARGET_NAMES: Record<SlaTarget, string> = { first_response: 'First response', resolution: 'Resolution' };

export async function checkTicketSla(ctx: TenantContext, ticketId: string, now: Date): Promise<SlaCheck> {
  const ticket = await ctx.em.findOne(SupportTicketSchema, { id: ticketId, workspace_id: ctx.workspaceId }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  if (!ticket) return { done: true, nextDeadline: null, breached: [] };
  const reading = readClock(ticket, now);
  for (const target of reading.missed) await recordBreach(ctx, ticket, target, now);
  if (reading.done) ticket.sla_run_active = false;
  await ctx.em.flush();
  return { done: reading.done, nextDeadline: reading.nextDeadline?.getTime() ?? null, breached: reading.missed };
}

async function recordBreach(ctx: TenantContext, ticket: SupportTicket, target: SlaTarget, now: Date): Promise<void> {
  const dueAt = markBreached(ticket, target).toISOString();
  ticket.updated_at = now;
  recordEvent(ctx, {
    type: 'support_ticket.sla_breached',
    resource_type: 'support_ticket',
    resource_id: ticket.id,
    payload: { ticket_id: ticket.id, target, due_at: dueAt, queue_id: ticket.queue_id ?? null, status: ticket.status, priority: ticket.priority },
  });
  await logActivity(ctx, {
    type: 'note',
    summary: `${TARGET_NAMES[target]} SLA breached on ticket "${clip(ticket.subject, 80)}"`,
    body: `The ${target.replace('_', ' ')} target was due at ${dueAt}${ticket.queue_id ? ` (queue ${ticket.queue_id})` : ''}.`,
    related_resource_type: 'support_ticket',
    related_resource_id: ticket.id,
    by: 'system',
    occurred_at: now,
  });
}

