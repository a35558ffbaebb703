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
