import { newId } from '../../../platform/ids.ts';
import { alreadyExists, ruleViolation } from '../../../platform/errors.ts';
import type { TenantContext } from '../../../kernel/tenant.ts';
import { insertCreated } from '../../../kernel/outbox.ts';
import { lockAndFindIdByLowerColumn } from '../../../kernel/lookup.ts';
import { containsPattern, findPage, type Page, type PageRequest } from '../../../kernel/pagination.ts';
import { CRM_IDS } from '../ids.ts';
import { findOrCreateCompanyByName, getCompany } from './companies.ts';
import { ContactSchema, type Company, type Contact } from './entities.ts';
import { serializeContact } from './serializers.ts';

export interface NewContact {
  name: string;
  email?: string | null;
  phone?: string | null;
  title?: string | null;
  company_id?: string | null;
  company_name?: string | null;
  notes?: string | null;
  custom_fields?: Record<string, unknown>;
}

export async function createContact(ctx: TenantContext, input: NewContact): Promise<Contact> {
  const email = input.email ? input.email.trim() : null;
  if (email) {
    const existing = await lockAndFindIdByLowerColumn(ctx, ['contact-email', ctx.workspaceId, email.toLowerCase()], 'contacts', 'email', email);
    if (existing) throw alreadyExists('contact', 'email', existing);
  }
  const company = await resolveCompany(ctx, input);
  const now = new Date();
  const contact = ctx.em.create(ContactSchema, {
    id: newId(CRM_IDS.contact),
    workspace_id: ctx.workspaceId,
    name: input.name,
    email,
    phone: input.phone ?? null,
    title: input.title ?? null,
    company_id: company?.id ?? null,
    company_name: company?.name ?? null,
    notes: input.notes ?? null,
    custom_fields: input.custom_fields ?? {},
    created_at: now,
    updated_at: now,
  });
  return insertCreated(ctx, 'contact', contact, serializeContact(contact));
}

/** company_id names the company outright; company_name links to (or creates) the company of that name. */
async function resolveCompany(ctx: TenantContext, input: NewContact): Promise<Company | null> {
  if (input.company_id) {
    const company = await getCompany(ctx, input.company_id);
    if (input.company_name && input.company_name.toLowerCase() !== company.name.toLowerCase()) {
      throw ruleViolation('company_name', `company_name "${input.company_name}" does not match the name of company ${company.id} ("${company.name}"); give one or the other.`);
    }
    return company;
  }
  if (input.company_name) return (await findOrCreateCompanyByName(ctx, input.company_name)).company;
  return null;
}

export interface ContactFilters extends PageRequest { query?: string; company_id?: string }

export function listContacts(ctx: TenantContext, filters: ContactFilters): Promise<Page<Contact>> {
  const where: Record<string, unknown> = {};
  if (filters.query) where.search_text = { $like: containsPattern(filters.query) };
  if (filters.company_id) where.company_id = filters.company_id;
  return findPage(ctx, ContactSchema, 'contacts', where as never, filters);
}
