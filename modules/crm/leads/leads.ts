import { LockMode } from '@mikro-orm/postgresql';
import { newId } from '../../../platform/ids.ts';
import { CRM_IDS } from '../ids.ts';
import { notFound } from '../../../platform/errors.ts';
import { callerSource, type TenantContext } from '../../../kernel/tenant.ts';
import { insertCreated } from '../../../kernel/outbox.ts';
import { containsPattern, findPage, type Page, type PageRequest } from '../../../kernel/pagination.ts';
import { customFieldFilter } from '../../../kernel/custom-field-filter.ts';
import { LeadSchema, type Lead, type LeadSource, type LeadStatus } from './entities.ts';
import { serializeLead } from './serializers.ts';

export interface NewLead {
  name: string;
  email?: string | null;
  phone?: string | null;
  title?: string | null;
  company_name?: string | null;
  company_domain?: string | null;
  source?: LeadSource;
  status?: 'new' | 'working' | 'qualified' | 'disqualified';
  notes?: string | null;
  custom_fields?: Record<string, unknown>;
}

export async function createLead(ctx: TenantContext, input: NewLead): Promise<Lead> {
  const now = new Date();
  const lead = ctx.em.create(LeadSchema, {
    id: newId(CRM_IDS.lead),
    workspace_id: ctx.workspaceId,
    name: input.name,
    email: input.email ? input.email.trim() : null,
    phone: input.phone ?? null,
    title: input.title ?? null,
    company_name: input.company_name ?? null,
    company_domain: input.company_domain ? input.company_domain.toLowerCase() : null,
    // Written by an agent through MCP unless the caller says otherwise.
    source: input.source ?? callerSource(ctx.actor),
    status: input.status ?? 'new',
    notes: input.notes ?? null,
    custom_fields: input.custom_fields ?? {},
    contact_id: null,
    company_id: null,
    deal_id: null,
    converted_at: null,
    conversion_workflow_id: null,
    conversion_run_id: null,
    conversion_command_id: null,
    status_before_conversion: null,
    created_company_id: null,
    created_contact_id: null,
    created_deal_id: null,
    created_at: now,
    updated_at: now,
  });
  return insertCreated(ctx, 'lead', lead, serializeLead(lead));
}

export async function getLead(ctx: TenantContext, id: string): Promise<Lead> {
  const lead = await ctx.em.findOne(LeadSchema, { id, workspace_id: ctx.workspaceId }, { refresh: true });
  if (!lead) throw notFound('lead', id);
  return lead;
}

/** The lead, locked for the rest of the transaction: every conversion step serialises on it. */
export async function lockLead(ctx: TenantContext, id: string): Promise<Lead> {
  const lead = await ctx.em.findOne(LeadSchema, { id, workspace_id: ctx.workspaceId }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  if (!lead) throw notFound('lead', id);
  return lead;
}

export interface LeadFilters extends PageRequest {
  query?: string;
  status?: LeadStatus;
  source?: LeadSource;
  custom_field_key?: string;
  custom_field_value?: string;
}

export function listLeads(ctx: TenantContext, filters: LeadFilters): Promise<Page<Lead>> {
  const where: Record<string, unknown> = {};
  if (filters.query) where.search_text = { $like: containsPattern(filters.query) };
  if (filters.status) where.status = filters.status;
  if (filters.source) where.source = filters.source;
  const custom = customFieldFilter(filters.custom_field_key, filters.custom_field_value);
  return findPage(ctx, LeadSchema, 'leads', (custom ? { ...where, ...custom } : where) as never, filters);
}
