// Saga compensation of a failed conversion. Only records the lead says this run CREATED are
// removed (found ones were linked, never owned); each removal records `<type>.deleted`. A created
// record that something else came to reference meanwhile (a contact of another request linked to
// the new company) is kept: a foreign key refuses the delete and the record simply stays.
import { sql } from '../../../../platform/db.ts';
import { withEm, type TenantContext } from '../../../../kernel/tenant.ts';
import { serializeCompany, serializeContact } from '../../directory/serializers.ts';
import { CompanySchema, ContactSchema } from '../../directory/entities.ts';
import { deleteDealForCompensation } from '../../deals/deals.ts';
import { recordEvent } from '../../../../kernel/outbox.ts';
import type { ConversionRun } from './types.ts';
import type { Lead } from '../entities.ts';
import { lockLead } from '../leads.ts';
import { inTransaction } from '../../../../platform/transaction.ts';

export type CompensationOutcome = { removed: string | null; kept: string | null };

type Kind = 'company' | 'contact' | 'deal';

const FIELDS = {
  company: { link: 'company_id', created: 'created_company_id' },
  contact: { link: 'contact_id', created: 'created_contact_id' },
  deal: { link: 'deal_id', created: 'created_deal_id' },
} as const;

const REMOVERS: Record<Kind, (ctx: TenantContext, id: string) => Promise<void>> = {
  company: deleteCompanyForCompensation,
  contact: deleteContactForCompensation,
  deal: deleteDealForCompensation,
};

/** Undoes one step for this run: unlinks the record from the lead and removes it if the run created it. */
export async function undoCreated(ctx: TenantContext, run: ConversionRun, kind: Kind): Promise<CompensationOutcome> {
  const lead = await lockLead(ctx, run.leadId);
  if (lead.status !== 'converting' || lead.conversion_run_id !== run.runId) return { removed: null, kept: null };
  const { link, created } = FIELDS[kind];
  const createdId = lead[created];
  if (lead[link] === createdId) lead[link] = null;
  lead[created] = null;
  lead.updated_at = new Date();
  // The lead stops referencing the record first, so its own foreign key does not hold it back.
  await ctx.em.flush();
  if (!createdId) return { removed: null, kept: null };
  return (await removeUnlessReferenced(ctx, kind, createdId)) ? { removed: createdId, kept: null } : { removed: null, kept: createdId };
}

/** Runs the removal in a savepoint: a foreign-key refusal rolls back only the removal. */
async function removeUnlessReferenced(ctx: TenantContext, kind: Kind, id: string): Promise<boolean> {
  try {
    await inTransaction(ctx.em, (inner) => REMOVERS[kind](withEm(ctx, inner), id));
    return true;
  } catch (err) {
    if ((err as { code?: string }).code === '23503') return false;
    throw err;
  }
}

/** Restores the lead to the status it had before this run began, with no conversion links. */
export async function restoreLead(ctx: TenantContext, run: ConversionRun): Promise<Lead | null> {
  const lead = await lockLead(ctx, run.leadId);
  if (lead.status !== 'converting' || lead.conversion_run_id !== run.runId) return null;
  lead.status = lead.status_before_conversion ?? 'new';
  lead.status_before_conversion = null;
  lead.conversion_workflow_id = null;
  lead.contact_id = null;
  lead.company_id = null;
  lead.deal_id = null;
  lead.created_company_id = null;
  lead.created_contact_id = null;
  lead.created_deal_id = null;
  lead.updated_at = new Date();
  await ctx.em.flush();
  return lead;
}

export async function deleteContactForCompensation(ctx: TenantContext, id: string): Promise<void> {
  const contact = await ctx.em.findOne(ContactSchema, { id, workspace_id: ctx.workspaceId });
  if (!contact) return;
  await sql(ctx.em, 'delete from contacts where workspace_id = ? and id = ?', [ctx.workspaceId, id]);
  recordEvent(ctx, { type: 'contact.deleted', resource_type: 'contact', resource_id: id, payload: serializeContact(contact) });
  await ctx.em.flush();
}

export async function deleteCompanyForCompensation(ctx: TenantContext, id: string): Promise<void> {
  const company = await ctx.em.findOne(CompanySchema, { id, workspace_id: ctx.workspaceId });
  if (!company) return;
  await sql(ctx.em, 'delete from companies where workspace_id = ? and id = ?', [ctx.workspaceId, id]);
  recordEvent(ctx, { type: 'company.deleted', resource_type: 'company', resource_id: id, payload: serializeCompany(company) });
  await ctx.em.flush();
}
