import { defineEntity, type InferEntity } from '@mikro-orm/postgresql';

export const QUEUE_STATUSES = ['active', 'paused', 'archived'] as const;
export const TICKET_STATUSES = ['new', 'open', 'pending', 'waiting_on_customer', 'resolved', 'closed'] as const;
export const TICKET_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export const TICKET_SOURCES = ['manual', 'email', 'chat', 'phone', 'web', 'api', 'mcp', 'slack', 'other'] as const;
export const MESSAGE_CHANNELS = ['email', 'chat', 'phone', 'web', 'api', 'mcp', 'slack', 'other'] as const;
export const MESSAGE_DIRECTIONS = ['inbound', 'outbound'] as const;

export type QueueStatus = typeof QUEUE_STATUSES[number];
export type TicketStatus = typeof TICKET_STATUSES[number];
export type TicketPriority = typeof TICKET_PRIORITIES[number];
export type TicketSource = typeof TICKET_SOURCES[number];
export type MessageChannel = typeof MESSAGE_CHANNELS[number];
export type MessageDirection = typeof MESSAGE_DIRECTIONS[number];

export const SupportQueueSchema = defineEntity({
  name: 'SupportQueue',
  tableName: 'support_queues',
  properties: (p) => ({
    id: p.text().primary(),
    workspace_id: p.text(),
    key: p.text(),
    name: p.text(),
    description: p.text().nullable(),
    status: p.enum([...QUEUE_STATUSES]),
    first_response_target_minutes: p.integer().nullable(),
    resolution_target_minutes: p.integer().nullable(),
    custom_fields: p.json<Record<string, unknown>>(),
    /** Lower-cased key and name the free-text search matches (a generated column). */
    search_text: p.text().generated('stored').nullable().lazy(true, false),
    created_at: p.datetime().onCreate(() => new Date()),
    updated_at: p.datetime().onCreate(() => new Date()),
  }),
});
export type SupportQueue = InferEntity<typeof SupportQueueSchema>;

export const SupportTicketSchema = defineEntity({
  name: 'SupportTicket',
  tableName: 'support_tickets',
  properties: (p) => ({
    id: p.text().primary(),
    workspace_id: p.text(),
    subject: p.text(),
    description: p.text().nullable(),
    status: p.enum([...TICKET_STATUSES]),
    priority: p.enum([...TICKET_PRIORITIES]),
    source: p.enum([...TICKET_SOURCES]),
    category: p.text().nullable(),
    queue_id: p.text().nullable(),
    assignee_id: p.text().nullable(),
    contact_id: p.text().nullable(),
    company_id: p.text().nullable(),
    deal_id: p.text().nullable(),
    lead_id: p.text().nullable(),
    invoice_id: p.text().nullable(),
    custom_fields: p.json<Record<string, unknown>>(),
    first_response_due_at: p.datetime().nullable(),
    first_responded_at: p.datetime().nullable(),
    first_response_breached_at: p.datetime().nullable(),
    resolution_due_at: p.datetime().nullable(),
    resolution_breached_at: p.datetime().nullable(),
    /** Since when the SLA clock is stopped; null while it runs. */
    sla_paused_at: p.datetime().nullable(),
    /** Paused time of the clock's finished pauses (ms), already added to the due times. */
    sla_paused_ms: p.bigint('number'),
    /** A run of the ticket's SLA workflow is responsible for it (set with its start command, cleared by the run as it ends). */
    sla_run_active: p.boolean(),
    resolved_at: p.datetime().nullable(),
    closed_at: p.datetime().nullable(),
    /** The bodies of its messages, appended by raw SQL as each is added (messages.ts); read only by the search_text expression. */
    message_text: p.text().default('').lazy(true, false),
    /** Lower-cased subject, description and message bodies the free-text search matches (a trigram index). */
    search_text: p.text().generated('stored').nullable().lazy(true, false),
    created_at: p.datetime().onCreate(() => new Date()),
    updated_at: p.datetime().onCreate(() => new Date()),
  }),
});
export type SupportTicket = InferEntity<typeof SupportTicketSchema>;

export const TicketMessageSchema = defineEntity({
  name: 'TicketMessage',
  tableName: 'support_ticket_messages',
  properties: (p) => ({
    id: p.text().primary(),
    workspace_id: p.text(),
    ticket_id: p.text(),
    direction: p.enum([...MESSAGE_DIRECTIONS]),
    channel: p.enum([...MESSAGE_CHANNELS]),
    body: p.text(),
    author_name: p.text().nullable(),
    author_email: p.text().nullable(),
    custom_fields: p.json<Record<string, unknown>>(),
    search_text: p.text().generated('stored').nullable().lazy(true, false),
    created_at: p.datetime().onCreate(() => new Date()),
  }),
});
export type TicketMessage = InferEntity<typeof TicketMessageSchema>;

export const TicketCommentSchema = defineEntity({
  name: 'TicketComment',
  tableName: 'support_ticket_comments',
  properties: (p) => ({
    id: p.text().primary(),
    workspace_id: p.text(),
    ticket_id: p.text(),
    body: p.text(),
    pinned: p.boolean(),
    author_id: p.text().nullable(),
    custom_fields: p.json<Record<string, unknown>>(),
    search_text: p.text().generated('stored').nullable().lazy(true, false),
    /** Pinned first, then creation (id) order: the list's one sort key (a generated column). */
    list_key: p.text().generated('stored').nullable(),
    created_at: p.datetime().onCreate(() => new Date()),
  }),
});
export type TicketComment = InferEntity<typeof TicketCommentSchema>;
