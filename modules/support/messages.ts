// Customer-visible messages: immutable, oldest first. A message moves its ticket: the first
// outbound one is the first response (a `new` ticket becomes `open`), an inbound one reopens a
// ticket that waited on someone or was resolved; a closed ticket takes none.
import { ruleViolation } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { sql } from '../../platform/db.ts';
import { callerSource, type TenantContext } from '../../kernel/tenant.ts';
import { insertCreated } from '../../kernel/outbox.ts';
import type { Page } from '../../kernel/pagination.ts';
import { TicketMessageSchema, type MessageChannel, type MessageDirection, type SupportTicket, type TicketMessage, type TicketStatus } from './entities.ts';
import { SUPPORT_IDS } from './ids.ts';
import { serializeMessage, serializeTicket } from './serializers.ts';
import { recordTicketChange } from './ticket-changes.ts';
import { moveTo } from './ticket-status.ts';
import { lockTicket, type TicketWrite } from './tickets.ts';
import { listThread, type ThreadFilters } from './ticket-threads.ts';

export interface NewMessage {
  direction: MessageDirection;
  channel?: MessageChannel;
  body: string;
  author_name?: string;
  author_email?: string;
  custom_fields?: Record<string, unknown>;
}

/** Statuses a customer's reply reopens (to `open`, which restarts the SLA clock). */
export const REOPENED_BY_CUSTOMER: readonly TicketStatus[] = ['pending', 'waiting_on_customer', 'resolved'];

export async function addMessage(ctx: TenantContext, ticketId: string, input: NewMessage, now = new Date()): Promise<TicketWrite<TicketMessage>> {
  const ticket = await lockTicket(ctx, ticketId);
  if (ticket.status === 'closed') {
    throw ruleViolation('ticket_id', `Ticket ${ticket.id} is closed and takes no more messages; file a new ticket for a follow-up.`, { status: ticket.status });
  }
  const before = serializeTicket(ticket);
  const message = ctx.em.create(TicketMessageSchema, {
    id: newId(SUPPORT_IDS.message),
    workspace_id: ctx.workspaceId,
    ticket_id: ticket.id,
    direction: input.direction,
    channel: input.channel ?? callerSource(ctx.actor),
    body: input.body,
    author_name: input.author_name ?? null,
    author_email: input.author_email ?? null,
    custom_fields: input.custom_fields ?? {},
    created_at: now,
  });
  await appendToSearch(ctx, ticket, input.body);
  applyToTicket(ticket, input.direction, now);
  const change = await recordTicketChange(ctx, before, ticket, now);
  await insertCreated(ctx, 'support_ticket_message', message, serializeMessage(message));
  return { result: message, nudgeSla: change.nudgeSla ? ticket.id : null };
}

function applyToTicket(ticket: SupportTicket, direction: MessageDirection, now: Date): void {
  if (direction === 'outbound') {
    if (!ticket.first_responded_at) ticket.first_responded_at = now;
    if (ticket.status === 'new') moveTo(ticket, 'open', now);
  } else if (REOPENED_BY_CUSTOMER.includes(ticket.status)) {
    moveTo(ticket, 'open', now);
  }
}

/** Messages never change, so the ticket's search text only grows (the row is locked by the caller). */
async function appendToSearch(ctx: TenantContext, ticket: SupportTicket, body: string): Promise<void> {
  await sql(ctx.em, `update support_tickets set message_text = message_text || chr(10) || ? where workspace_id = ? and id = ?`,
    [body, ctx.workspaceId, ticket.id]);
}

/** Oldest first; 404 for a ticket that is not in this workspace. */
export const listMessages = (ctx: TenantContext, ticketId: string, filters: ThreadFilters): Promise<Page<TicketMessage>> =>
  listThread(ctx, TicketMessageSchema, ticketId, filters, { field: 'created_at', direction: 'asc' });
