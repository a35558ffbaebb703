// The support desk: queues with SLA targets, tickets and their status state machine, customer
// messages and internal comments, and one SLA workflow per ticket (sla/) that marks breaches.
import { defineModule } from '../manifest.ts';
import { SUPPORT_IDS } from './ids.ts';
import { SupportQueueSchema, SupportTicketSchema, TicketCommentSchema, TicketMessageSchema } from './entities.ts';
import { supportOperations } from './operations.ts';
import { createSlaActivities } from './sla/activities.ts';
import { SLA_WORKFLOW_TYPE } from './sla/types.ts';
import { Migration20261202010000_support } from './migrations/Migration20261202010000_support.ts';

export const supportModule = defineModule({
  name: 'support',
  entities: [SupportQueueSchema, SupportTicketSchema, TicketMessageSchema, TicketCommentSchema],
  migrations: [{ name: 'Migration20261202010000_support', class: Migration20261202010000_support }],
  // What BI may read (its catalog): search text and SLA workflow bookkeeping stay internal.
  biTables: [
    { table: 'support_queues', description: 'Support queues with their SLA targets in minutes.', columns: ['id', 'key', 'name', 'description', 'status', 'first_response_target_minutes', 'resolution_target_minutes', 'custom_fields', 'created_at', 'updated_at'] },
    {
      table: 'support_tickets', description: 'Support tickets: status, priority, source, queue, links, SLA due and breach times.',
      columns: ['id', 'subject', 'description', 'status', 'priority', 'source', 'category', 'queue_id', 'assignee_id', 'contact_id', 'company_id', 'deal_id', 'lead_id', 'invoice_id', 'custom_fields',
        'first_response_due_at', 'first_responded_at', 'first_response_breached_at', 'resolution_due_at', 'resolution_breached_at', 'resolved_at', 'closed_at', 'created_at', 'updated_at'],
    },
    { table: 'support_ticket_messages', description: 'Customer-facing ticket messages, inbound and outbound.', columns: ['id', 'ticket_id', 'direction', 'channel', 'body', 'author_name', 'author_email', 'created_at'] },
    { table: 'support_ticket_comments', description: 'Internal ticket comments.', columns: ['id', 'ticket_id', 'body', 'pinned', 'author_id', 'created_at'] },
  ],
  operations: supportOperations,
  ids: SUPPORT_IDS,
  relatedResources: { support_ticket: 'support_tickets' },
  workflows: [SLA_WORKFLOW_TYPE],
  activities: createSlaActivities,
  events: [
    { type: 'support_queue.created', schema: 'SupportQueue', description: 'A support queue was created.' },
    { type: 'support_ticket.created', schema: 'SupportTicket', description: 'A support ticket was filed.' },
    { type: 'support_ticket.updated', schema: 'SupportTicket', description: 'A ticket changed (by an update, or by a message that answered or reopened it); the payload adds changed_fields.' },
    {
      type: 'support_ticket.sla_breached',
      description: 'A ticket missed an SLA target (first response or resolution) of its queue; due_at is when it was due.',
      schema: {
        type: 'object',
        required: ['ticket_id', 'target', 'due_at', 'queue_id', 'status', 'priority'],
        properties: {
          ticket_id: { type: 'string' },
          target: { enum: ['first_response', 'resolution'] },
          due_at: { type: 'string', format: 'date-time' },
          queue_id: { type: ['string', 'null'] },
          status: { type: 'string' },
          priority: { type: 'string' },
        },
      },
    },
    { type: 'support_ticket_message.created', schema: 'TicketMessage', description: 'A customer-visible message was added to a ticket.' },
    { type: 'support_ticket_comment.created', schema: 'TicketComment', description: 'An internal comment was added to a ticket.' },
  ],
});
