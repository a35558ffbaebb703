// The ticket status state machine (the README's table). A ticket starts `new`; nothing returns to
// `new`; `resolved` reopens only to `open`; `closed` is final. Moving stamps resolved_at/closed_at
// and stops or restarts the SLA clock (sla/clock.ts).
import { ruleViolation } from '../../platform/errors.ts';
import type { SupportTicket, TicketStatus } from './entities.ts';
import { syncClock } from './sla/clock.ts';

export const TRANSITIONS: Record<TicketStatus, readonly TicketStatus[]> = {
  new: ['open', 'pending', 'waiting_on_customer', 'resolved', 'closed'],
  open: ['pending', 'waiting_on_customer', 'resolved', 'closed'],
  pending: ['open', 'waiting_on_customer', 'resolved', 'closed'],
  waiting_on_customer: ['open', 'pending', 'resolved', 'closed'],
  resolved: ['open', 'closed'],
  closed: [],
};

/** 422 rule_violation naming both states when `to` is not a move from `from` (staying put is no move). */
export function assertTransition(from: TicketStatus, to: TicketStatus, field = 'status'): void {
  if (from === to || TRANSITIONS[from].includes(to)) return;
  const allowed = TRANSITIONS[from];
  throw ruleViolation(field,
    `A ticket cannot move from ${from} to ${to}; from ${from} it can move to ${allowed.length ? allowed.join(', ') : 'nothing (closed is final)'}.`,
    { from, to, allowed });
}

/** Moves the ticket (the caller checked the move): resolved_at is set on resolving and cleared on reopening, closed_at set on closing. */
export function moveTo(ticket: SupportTicket, to: TicketStatus, now: Date): void {
  if (ticket.status === to) return;
  ticket.status = to;
  if (to === 'resolved') ticket.resolved_at = now;
  else if (to !== 'closed') ticket.resolved_at = null;
  if (to === 'closed') ticket.closed_at = now;
  syncClock(ticket, now);
}
