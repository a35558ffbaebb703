// Support tickets: filing (links and queue checked in the workspace, SLA due times from the
// queue), partial updates through the status state machine, and the list with every filter.
import { LockMode, type FilterQuery } from '@mikro-orm/postgresql';
import { notFound } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { callerSource, type TenantContext } from '../../kernel/tenant.ts';
import { insertCreated } from '../../kernel/outbox.ts';
import { containsPattern, findPage, type Page, type PageRequest } from '../../kernel/pagination.ts';
import { customFieldFilter } from '../../kernel/custom-field-filter.ts';
import { mergeCustomFields } from '../../kernel/custom-fields.ts';
import {
  SupportTicketSchema, type SupportTicket, type TicketPriority, type TicketSource, type TicketStatus,
} from './entities.ts';
import { SUPPORT_IDS } from './ids.ts';
import { getQueueForTickets } from './queues.ts';
import { serializeTicket } from './serializers.ts';
import { applyTargets } from './sla/clock.ts';
import { followSla } from './sla/tracking.ts';
import { recordTicketChange } from './ticket-changes.ts';
import { assertLinks, LINK_FIELDS, type LinkField } from './ticket-links.ts';
import { assertTransition, moveTo } from './ticket-status.ts';

type Links = Partial<Record<LinkField, string>>;

export interface NewTicket extends Links {
  subject: string;
  description?: string;
  priority?: TicketPriority;
  source?: TicketSource;
  category?: string;
  queue_id?: string;
  assignee_id?: string;
  custom_fields?: Record<string, unknown>;
}

/** updateSupportTicket's body: absent fields stay, null clears a nullable one. */
export interface TicketPatch extends Partial<Record<LinkField, string | null>> {
  subject?: string;
  description?: string | null;
  status?: TicketStatus;
  priority?: TicketPriority;
  category?: string | null;
  queue_id?: string | null;
  assignee_id?: string | null;
  custom_fields?: Record<string, unknown>;
}

/** A ticket write's result, and whether its running SLA workflow should re-read it after the commit. */
export interface TicketWrite<T = SupportTicket> { result: T; nudgeSla: string | null }

export async function createTicket(ctx: TenantContext, input: NewTicket, now = new Date()): Promise<TicketWrite> {
  await assertLinks(ctx, input);
  const queue = input.queue_id ? await getQueueForTickets(ctx, input.queue_id) : null;
  const ticket = ctx.em.create(SupportTicketSchema, {
    id: newId(SUPPORT_IDS.ticket),
    workspace_id: ctx.workspaceId,
    subject: input.subject,
    description: input.description ?? null,
    status: 'new',
    priority: input.priority ?? 'normal',
    source: input.source ?? callerSource(ctx.actor),
    category: input.category ?? null,
    queue_id: queue?.id ?? null,
    assignee_id: input.assignee_id ?? null,
    ...Object.fromEntries(LINK_FIELDS.map((field) => [field, input[field] ?? null])),
    custom_fields: input.custom_fields ?? {},
    first_response_due_at: null,
    first_responded_at: null,
    first_response_breached_at: null,
    resolution_due_at: null,
    resolution_breached_at: null,
    sla_paused_at: null,
    sla_paused_ms: 0,
    sla_run_active: false,
    resolved_at: null,
    closed_at: null,
    created_at: now,
    updated_at: now,
  });
  applyTargets(ticket, queue);
  // A new ticket's run is started by its command: nothing to tell.
  followSla(ctx, ticket);
  await insertCreated(ctx, 'support_ticket', ticket, serializeTicket(ticket));
  return { result: ticket, nudgeSla: null };
}

export async function getTicket(ctx: TenantContext, id: string): Promise<SupportTicket> {
  const ticket = await ctx.em.findOne(SupportTicketSchema, { id, workspace_id: ctx.workspaceId });
  if (!ticket) throw notFound('support_ticket', id);
  return ticket;
}

/** The ticket, locked for the rest of the transaction: its writers and its SLA reads serialise on it. */
export async function lockTicket(ctx: TenantContext, id: string): Promise<SupportTicket> {
  const ticket = await ctx.em.findOne(SupportTicketSchema, { id, workspace_id: ctx.workspaceId }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  if (!ticket) throw notFound('support_ticket', id);
  return ticket;
}

export async function updateTicket(ctx: TenantContext, id: string, patch: TicketPatch, now = new Date()): Promise<TicketWrite> {
  const ticket = await lockTicket(ctx, id);
  const before = serializeTicket(ticket);
  if (patch.status !== undefined) assertTransition(ticket.status, patch.status);
  await assertLinks(ctx, patch);
  for (const field of ['subject', 'description', 'priority', 'category', 'assignee_id', ...LINK_FIELDS] as const) {
    if (patch[field] !== undefined) (ticket as Record<string, unknown>)[field] = patch[field];
  }
  if (patch.custom_fields !== undefined) ticket.custom_fields = mergeCustomFields(ticket.custom_fields, patch.custom_fields);
  if (patch.queue_id !== undefined && patch.queue_id !== ticket.queue_id) {
    // Another queue, another SLA: the due times are computed again from its targets.
    const queue = patch.queue_id === null ? null : await getQueueForTickets(ctx, patch.queue_id);
    ticket.queue_id = queue?.id ?? null;
    applyTargets(ticket, queue);
  }
  if (patch.status !== undefined) moveTo(ticket, patch.status, now);
  const change = await recordTicketChange(ctx, before, ticket, now);
  return { result: ticket, nudgeSla: change.nudgeSla ? ticket.id : null };
}

export interface TicketFilters extends PageRequest, Partial<Record<LinkField, string>> {
  query?: string;
  status?: TicketStatus;
  priority?: TicketPriority;
  source?: TicketSource;
  category?: string;
  queue_id?: string;
  assignee_id?: string;
  custom_field_key?: string;
  custom_field_value?: string;
}

/** Newest first. `query` matches subject, description and message bodies through one trigram index. */
export function listTickets(ctx: TenantContext, filters: TicketFilters): Promise<Page<SupportTicket>> {
  const where: Record<string, unknown> = {};
  if (filters.query) where.search_text = { $like: containsPattern(filters.query) };
  for (const field of ['status', 'priority', 'source', 'category', 'queue_id', 'assignee_id', ...LINK_FIELDS] as const) {
    if (filters[field] !== undefined) where[field] = filters[field];
  }
  const custom = customFieldFilter(filters.custom_field_key, filters.custom_field_value);
  return findPage(ctx, SupportTicketSchema, 'support_tickets', (custom ? { ...where, ...custom } : where) as FilterQuery<SupportTicket>, filters);
}
