// The steps of a lead conversion, each run by one activity in one transaction. Every step first
// locks the lead and checks that the calling workflow run owns the conversion; what a step finds
// or creates is recorded on the lead in the same transaction, so a retried step (a worker killed
// after the commit) sees its own result and returns it instead of creating a second record.
import { ruleViolation } from '../../../../platform/errors.ts';
import type { TenantContext } from '../../../../kernel/tenant.ts';
import { logActivity } from '../../../activity-log/activity-log.ts';
import { createCompany, findCompanyByDomain, findCompanyByName, findOrCreateCompanyByName } from '../../directory/companies.ts';
import { createContact } from '../../directory/contacts.ts';
import type { Company } from '../../directory/entities.ts';
import { createDeal } from '../../deals/deals.ts';
import { DealSchema, type DealStage } from '../../deals/entities.ts';
import { firstOpenStage, findStageByKey } from '../../deals/stages.ts';
import { recordEvent } from '../../../../kernel/outbox.ts';
import { lockNaturalKey } from '../../../../kernel/locks.ts';
import { lockAndFindIdByLowerColumn } from '../../../../kernel/lookup.ts';
import type { ConversionDealSpec, ConversionRun, ConvertLeadResult, StepRecord } from './types.ts';
import type { Lead } from '../entities.ts';
import { lockLead } from '../leads.ts';
import { serializeLead } from '../serializers.ts';

/** A business reason a conversion cannot go on: a 422 whose `reason` becomes the failure type. */
export const conversionRule = (reason: string, field: string, message: string) => ruleViolation(field, message, { reason });

/** A disqualified lead cannot be converted: the one place that says so, for the API and the workflow. */
export function assertConvertible(lead: Lead): void {
  if (lead.status === 'disqualified') {
    throw conversionRule('LeadDisqualified', 'status', `Lead ${lead.id} is disqualified; only new, working or qualified leads can be converted.`);
  }
}

/**
 * Marks the lead `converting` for a conversion command (the API does, in the request's
 * transaction). From a settable status it remembers that status for a restore.
 */
export async function markConverting(ctx: TenantContext, lead: Lead, conversion: { workflowId: string; commandId: string }): Promise<void> {
  if (lead.status === 'new' || lead.status === 'working' || lead.status === 'qualified') lead.status_before_conversion = lead.status;
  lead.status = 'converting';
  lead.conversion_workflow_id = conversion.workflowId;
  lead.conversion_command_id = conversion.commandId;
  lead.conversion_run_id = null;
  lead.updated_at = new Date();
  await ctx.em.flush();
}

/**
 * Step 1: this run takes ownership of the lead's conversion (or finds it already converted). A
 * run of the command the lead names owns it, taking over from an earlier run of the same command
 * that is gone (terminated); a run of any other command is stale and stops here, changing nothing.
 */
export async function beginConversion(ctx: TenantContext, run: ConversionRun): Promise<{ alreadyConverted: boolean }> {
  const lead = await lockLead(ctx, run.leadId);
  if (lead.status === 'converted') return { alreadyConverted: true };
  assertConvertible(lead);
  if (lead.status !== 'converting' || lead.conversion_command_id !== run.commandId) {
    throw conversionRule('ConversionSuperseded', 'status', `Lead ${lead.id} is ${lead.status} and its conversion is no longer the one of command ${run.commandId}.`);
  }
  if (lead.conversion_run_id !== run.runId) {
    lead.conversion_run_id = run.runId;
    lead.updated_at = new Date();
    await ctx.em.flush();
  }
  return { alreadyConverted: false };
}

/** Step 2: the lead's company, by domain when it has one, else by name; none when it names neither. */
export async function ensureCompany(ctx: TenantContext, run: ConversionRun): Promise<StepRecord> {
  const lead = await lockOwnedLead(ctx, run);
  if (lead.company_id) return { id: lead.company_id, created: lead.created_company_id === lead.company_id };
  if (!lead.company_domain && !lead.company_name) return { id: null, created: false };
  const { company, created } = await findOrCreateLeadCompany(ctx, lead);
  lead.company_id = company.id;
  if (created) lead.created_company_id = company.id;
  lead.updated_at = new Date();
  await ctx.em.flush();
  return { id: company.id, created };
}

async function findOrCreateLeadCompany(ctx: TenantContext, lead: Lead): Promise<{ company: Company; created: boolean }> {
  const domain = lead.company_domain;
  if (!domain) return findOrCreateCompanyByName(ctx, lead.company_name!);
  await lockNaturalKey(ctx.em, 'company-domain', ctx.workspaceId, domain);
  const byDomain = await findCompanyByDomain(ctx, domain);
  if (byDomain) return { company: byDomain, created: false };
  if (lead.company_name) {
    await lockNaturalKey(ctx.em, 'company-name', ctx.workspaceId, lead.company_name.toLowerCase());
    // A same-named company without a domain is taken to be this one; one with another domain is not.
    const byName = await findCompanyByName(ctx, lead.company_name);
    if (byName && !byName.domain) return { company: byName, created: false };
  }
  return { company: await createCompany(ctx, { name: lead.company_name ?? domain, domain }), created: true };
}

/** Step 3: the contact with the lead's email (case-insensitive), or a new one linked to the company. */
export async function ensureContact(ctx: TenantContext, run: ConversionRun): Promise<StepRecord> {
  const lead = await lockOwnedLead(ctx, run);
  if (lead.contact_id) return { id: lead.contact_id, created: lead.created_contact_id === lead.contact_id };
  if (lead.email) {
    // The lock createContact takes too (re-entrant): nobody inserts this email between find and create.
    const existing = await lockAndFindIdByLowerColumn(ctx, ['contact-email', ctx.workspaceId, lead.email.toLowerCase()], 'contacts', 'email', lead.email);
    if (existing) return link(ctx, lead, 'contact', existing, false);
  }
  const contact = await createContact(ctx, {
    name: lead.name, email: lead.email, phone: lead.phone, title: lead.title, company_id: lead.company_id,
  });
  return link(ctx, lead, 'contact', contact.id, true);
}

/** Step 4 (create_deal): the deal this lead already produced, or a new one in the given or first open stage. */
export async function ensureDeal(ctx: TenantContext, run: ConversionRun, spec: ConversionDealSpec): Promise<StepRecord> {
  const lead = await lockOwnedLead(ctx, run);
  if (lead.deal_id) return { id: lead.deal_id, created: lead.created_deal_id === lead.deal_id };
  const existing = await ctx.em.findOne(DealSchema, { workspace_id: ctx.workspaceId, lead_id: lead.id }, { orderBy: { id: 'asc' } });
  if (existing) return link(ctx, lead, 'deal', existing.id, false);
  const stage = await conversionStage(ctx, spec.stage);
  const deal = await createDeal(ctx, {
    name: spec.name ?? lead.company_name ?? lead.name,
    stage: stage.key,
    amount_cents: spec.amount_cents ?? null,
    currency: spec.currency ?? null,
    company_id: lead.company_id,
    contact_id: lead.contact_id,
    lead_id: lead.id,
  });
  return link(ctx, lead, 'deal', deal.id, true);
}

async function conversionStage(ctx: TenantContext, key: string | undefined): Promise<DealStage> {
  if (key) {
    const stage = await findStageByKey(ctx, key);
    if (!stage) throw conversionRule('UnknownDealStage', 'deal_stage', `No deal stage with key "${key}" exists in this workspace; listDealStages shows the keys.`);
    return stage;
  }
  try {
    return await firstOpenStage(ctx);
  } catch {
    throw conversionRule('NoOpenDealStage', 'create_deal', 'This workspace has no open deal stage to start the deal in; create one with createDealStage or give deal_stage.');
  }
}

async function link(ctx: TenantContext, lead: Lead, kind: 'contact' | 'deal', id: string, created: boolean): Promise<StepRecord> {
  if (kind === 'contact') {
    lead.contact_id = id;
    if (created) lead.created_contact_id = id;
  } else {
    lead.deal_id = id;
    if (created) lead.created_deal_id = id;
  }
  lead.updated_at = new Date();
  await ctx.em.flush();
  return { id, created };
}

/** Step 5: the lead becomes `converted`, with its activity and the `lead.converted` event. */
export async function completeConversion(ctx: TenantContext, run: ConversionRun): Promise<ConvertLeadResult> {
  const lead = await lockLead(ctx, run.leadId);
  if (lead.status === 'converted') return resultOf(lead);
  assertOwned(lead, run);
  await assertLinkedDealExists(ctx, lead);
  lead.status = 'converted';
  lead.converted_at = new Date();
  lead.updated_at = lead.converted_at;
  lead.status_before_conversion = null;
  lead.created_company_id = null;
  lead.created_contact_id = null;
  lead.created_deal_id = null;
  const linked = [lead.contact_id && `contact ${lead.contact_id}`, lead.company_id && `company ${lead.company_id}`, lead.deal_id && `deal ${lead.deal_id}`].filter(Boolean);
  await logActivity(ctx, {
    type: 'note',
    summary: `Lead ${lead.name} converted`,
    body: `Converted by workflow ${run.workflowId} into ${linked.join(', ')}.`,
    related_resource_type: 'lead',
    related_resource_id: lead.id,
    by: 'system',
  });
  recordEvent(ctx, { type: 'lead.converted', resource_type: 'lead', resource_id: lead.id, payload: serializeLead(lead) });
  await ctx.em.flush();
  return resultOf(lead);
}

const resultOf = (lead: Lead): ConvertLeadResult => ({ lead_id: lead.id, contact_id: lead.contact_id ?? null, company_id: lead.company_id ?? null, deal_id: lead.deal_id ?? null });

/**
 * Contacts and companies the lead links cannot vanish (foreign keys), but deal_id is plain text
 * (leads predate deals): a deal removed since it was linked fails the conversion instead.
 */
async function assertLinkedDealExists(ctx: TenantContext, lead: Lead): Promise<void> {
  if (lead.deal_id && !(await ctx.em.count(DealSchema, { id: lead.deal_id, workspace_id: ctx.workspaceId }))) {
    throw conversionRule('LinkedRecordMissing', 'deal_id', `The deal ${lead.deal_id} this conversion linked no longer exists; convert the lead again.`);
  }
}

/** The lead, locked, provided this run still owns its conversion. */
export async function lockOwnedLead(ctx: TenantContext, run: ConversionRun): Promise<Lead> {
  const lead = await lockLead(ctx, run.leadId);
  assertOwned(lead, run);
  return lead;
}

function assertOwned(lead: Lead, run: ConversionRun): void {
  if (lead.status !== 'converting' || lead.conversion_run_id !== run.runId) {
    throw conversionRule('ConversionSuperseded', 'status', `Lead ${lead.id} is ${lead.status} and no longer converted by run ${run.runId}.`);
  }
}
