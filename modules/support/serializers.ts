// The contract's support resources, from their rows (the SLA bookkeeping and search columns stay inside).
import type { Schema } from '../../api/operations.ts';
import { nulled } from '../../kernel/serialize.ts';
import type { SupportQueue, SupportTicket, TicketComment, TicketMessage } from './entities.ts';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export const serializeQueue = (q: SupportQueue): Schema<'SupportQueue'> => nulled({
  id: q.id,
  key: q.key,
  name: q.name,
  description: q.description,
  status: q.status,
  first_response_target_minutes: q.first_response_target_minutes,
  resolution_target_minutes: q.resolution_target_minutes,
  custom_fields: q.custom_fields,
  created_at: q.created_at.toISOString(),
  updated_at: q.updated_at.toISOString(),
});

export const serializeTicket = (t: SupportTicket): Schema<'SupportTicket'> => nulled({
  id: t.id,
  subject: t.subject,
  description: t.description,
  status: t.status,
  priority: t.priority,
  source: t.source,
  category: t.category,
  queue_id: t.queue_id,
  assignee_id: t.assignee_id,
  contact_id: t.contact_id,
  company_id: t.company_id,
  deal_id: t.deal_id,
  lead_id: t.lead_id,
  invoice_id: t.invoice_id,
  custom_fields: t.custom_fields,
  first_response_due_at: iso(t.first_response_due_at),
  first_responded_at: iso(t.first_responded_at),
  first_response_breached_at: iso(t.first_response_breached_at),
  resolution_due_at: iso(t.resolution_due_at),
  resolution_breached_at: iso(t.resolution_breached_at),
  sla_paused_at: iso(t.sla_paused_at),
  resolved_at: iso(t.resolved_at),
  closed_at: iso(t.closed_at),
  created_at: t.created_at.toISOString(),
  updated_at: t.updated_at.toISOString(),
});

export const serializeMessage = (m: TicketMessage): Schema<'TicketMessage'> => nulled({
  id: m.id,
  ticket_id: m.ticket_id,
  direction: m.direction,
  channel: m.channel,
  body: m.body,
  author_name: m.author_name,
  author_email: m.author_email,
  custom_fields: m.custom_fields,
  created_at: m.created_at.toISOString(),
});

export const serializeComment = (c: TicketComment): Schema<'TicketComment'> => nulled({
  id: c.id,
  ticket_id: c.ticket_id,
  body: c.body,
  pinned: c.pinned,
  author_id: c.author_id,
  custom_fields: c.custom_fields,
  created_at: c.created_at.toISOString(),
});
