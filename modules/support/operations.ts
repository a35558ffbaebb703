import { list, write, type OperationHandlers } from '../../api/operations.ts';
import { createQueue, listQueues } from './queues.ts';
import { createTicket, listTickets, updateTicket } from './tickets.ts';
import { addMessage, listMessages } from './messages.ts';
import { addComment, listComments } from './comments.ts';
import { serializeComment, serializeMessage, serializeQueue, serializeTicket } from './serializers.ts';
import { slaWrite } from './sla/nudge.ts';

export const supportOperations = {
  listSupportQueues: list(({ tenant, query }) => listQueues(tenant, query), serializeQueue),
  createSupportQueue: write(201, ({ tenant, body }) => createQueue(tenant, body), serializeQueue),
  listSupportTickets: list(({ tenant, query }) => listTickets(tenant, query), serializeTicket),
  createSupportTicket: slaWrite(201, ({ tenant, body }) => createTicket(tenant, body), serializeTicket),
  updateSupportTicket: slaWrite(200, ({ tenant, path, body }) => updateTicket(tenant, path.ticket_id, body), serializeTicket),
  listSupportTicketMessages: list(({ tenant, path, query }) => listMessages(tenant, path.ticket_id, query), serializeMessage),
  addSupportTicketMessage: slaWrite(201, ({ tenant, path, body }) => addMessage(tenant, path.ticket_id, body), serializeMessage),
  listSupportTicketComments: list(({ tenant, path, query }) => listComments(tenant, path.ticket_id, query), serializeComment),
  addSupportTicketComment: write(201, ({ tenant, token, path, body }) => addComment(tenant, path.ticket_id, token.id, body), serializeComment),
} satisfies OperationHandlers;
