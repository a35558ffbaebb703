// Internal comments: agent-only notes on a ticket, immutable, pinned ones first, then oldest first.
// They do not touch the ticket (a closed ticket still takes notes).
import { newId } from '../../platform/ids.ts';
import type { TenantContext } from '../../kernel/tenant.ts';
import { insertCreated } from '../../kernel/outbox.ts';
import type { Page } from '../../kernel/pagination.ts';
import { TicketCommentSchema, type TicketComment } from './entities.ts';
import { SUPPORT_IDS } from './ids.ts';
import { serializeComment } from './serializers.ts';
import { getTicket } from './tickets.ts';
import { listThread, type ThreadFilters } from './ticket-threads.ts';

export interface NewComment { body: string; pinned?: boolean; custom_fields?: Record<string, unknown> }

/** The comment's author is the API token that wrote it. */
export async function addComment(ctx: TenantContext, ticketId: string, authorId: string | null, input: NewComment, now = new Date()): Promise<TicketComment> {
  const ticket = await getTicket(ctx, ticketId);
  const comment = ctx.em.create(TicketCommentSchema, {
    id: newId(SUPPORT_IDS.comment),
    workspace_id: ctx.workspaceId,
    ticket_id: ticket.id,
    body: input.body,
    pinned: input.pinned ?? false,
    author_id: authorId,
    custom_fields: input.custom_fields ?? {},
    created_at: now,
  });
  return insertCreated(ctx, 'support_ticket_comment', comment, serializeComment(comment));
}

/** Pinned first, then oldest first (one generated sort key); 404 for a ticket that is not in this workspace. */
export const listComments = (ctx: TenantContext, ticketId: string, filters: ThreadFilters): Promise<Page<TicketComment>> =>
  listThread(ctx, TicketCommentSchema, ticketId, filters, { field: 'list_key', direction: 'asc' });
