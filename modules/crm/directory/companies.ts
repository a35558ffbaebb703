import { newId } from '../../../platform/ids.ts';
import { alreadyExists, notFound } from '../../../platform/errors.ts';
import type { TenantContext } from '../../../kernel/tenant.ts';
import { insertCreated } from '../../../kernel/outbox.ts';
import { lockNaturalKey } from '../../../kernel/locks.ts';
import { findIdByLowerColumn, lockAndFindIdByLowerColumn } from '../../../kernel/lookup.ts';
import { containsPattern, findPage, type Page, type PageRequest } from '../../../kernel/pagination.ts';
import { CRM_IDS } from '../ids.ts';
import { CompanySchema, type Company } from './entities.ts';
import { serializeCompany } from './serializers.ts';

export interface NewCompany {
  name: string;
  domain?: string | null;
  website?: string | null;
  industry?: string | null;
  notes?: string | null;
  custom_fields?: Record<string, unknown>;
}

export async function createCompany(ctx: TenantContext, input: NewCompany): Promise<Company> {
  const domain = input.domain ? input.domain.toLowerCase() : null;
  if (domain) {
    const existing = await lockAndFindIdByLowerColumn(ctx, ['company-domain', ctx.workspaceId, domain], 'companies', 'domain', domain);
    if (existing) throw alreadyExists('company', 'domain', existing);
  }
  await lockNaturalKey(ctx.em, 'company-name', ctx.workspaceId, input.name.toLowerCase());
  return insertCompany(ctx, { ...input, domain });
}

async function insertCompany(ctx: TenantContext, input: NewCompany): Promise<Company> {
  const now = new Date();
  const company = ctx.em.create(CompanySchema, {
    id: newId(CRM_IDS.company),
    workspace_id: ctx.workspaceId,
    name: input.name,
    domain: input.domain ?? null,
    website: input.website ?? null,
    industry: input.industry ?? null,
    notes: input.notes ?? null,
    custom_fields: input.custom_fields ?? {},
    created_at: now,
    updated_at: now,
  });
  return insertCreated(ctx, 'company', company, serializeCompany(company));
}

export async function getCompany(ctx: TenantContext, id: string): Promise<Company> {
  const company = await ctx.em.findOne(CompanySchema, { id, workspace_id: ctx.workspaceId });
  if (!company) throw notFound('company', id);
  return company;
}

export async function findCompanyByDomain(ctx: TenantContext, domain: string): Promise<Company | null> {
  const id = await findIdByLowerColumn(ctx, 'companies', 'domain', domain);
  return id ? getCompany(ctx, id) : null;
}

/** The workspace's company of this name (the oldest when several share it), case-insensitively. */
export async function findCompanyByName(ctx: TenantContext, name: string): Promise<Company | null> {
  const id = await findIdByLowerColumn(ctx, 'companies', 'name', name);
  return id ? getCompany(ctx, id) : null;
}

/** Links to the company of this name, creating it when the workspace has none. */
export async function findOrCreateCompanyByName(ctx: TenantContext, name: string): Promise<{ company: Company; created: boolean }> {
  await lockNaturalKey(ctx.em, 'company-name', ctx.workspaceId, name.toLowerCase());
  const existing = await findCompanyByName(ctx, name);
  if (existing) return { company: existing, created: false };
  return { company: await insertCompany(ctx, { name }), created: true };
}

export interface CompanyFilters extends PageRequest { query?: string }

export function listCompanies(ctx: TenantContext, filters: CompanyFilters): Promise<Page<Company>> {
  const where = filters.query ? { search_text: { $like: containsPattern(filters.query) } } : {};
  return findPage(ctx, CompanySchema, 'companies', where as never, filters);
}
