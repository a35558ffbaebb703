// Sites: a key and a primary domain (a host name, stored lower-case), each unique in the
// workspace, and the language its entries are searched in.
import { newId } from '../../../platform/ids.ts';
import type { BodyOf } from '../../../api/operations.ts';
import type { TenantContext } from '../../../kernel/tenant.ts';
import { insertCreated } from '../../../kernel/outbox.ts';
import { containsPattern, findPage, type Page, type PageRequest } from '../../../kernel/pagination.ts';
import { CMS_IDS } from '../ids.ts';
import { assertUnique, getRecord } from '../records.ts';
import { CmsSiteSchema, type CmsSite } from '../entities.ts';
import { serializeSite } from '../serializers.ts';
import { DEFAULT_SEARCH_LANGUAGE } from '../search/languages.ts';

export type NewSite = BodyOf<'createCmsSite'>;

export async function createSite(ctx: TenantContext, input: NewSite): Promise<CmsSite> {
  const domain = input.primary_domain ? input.primary_domain.toLowerCase() : null;
  await assertUnique(ctx, CmsSiteSchema, 'cms_site', 'key', input.key);
  if (domain) await assertUnique(ctx, CmsSiteSchema, 'cms_site', 'primary_domain', domain);
  const now = new Date();
  const site = ctx.em.create(CmsSiteSchema, {
    id: newId(CMS_IDS.site),
    workspace_id: ctx.workspaceId,
    key: input.key,
    name: input.name,
    primary_domain: domain,
    description: input.description ?? null,
    search_language: input.search_language ?? DEFAULT_SEARCH_LANGUAGE,
    created_at: now,
    updated_at: now,
  });
  return insertCreated(ctx, 'cms_site', site, serializeSite(site));
}

export const getSite = (ctx: TenantContext, id: string) => getRecord(ctx, CmsSiteSchema, 'cms_site', id);

export interface SiteFilters extends PageRequest { query?: string }

export function listSites(ctx: TenantContext, filters: SiteFilters): Promise<Page<CmsSite>> {
  const where = filters.query ? { search_text: { $like: containsPattern(filters.query) } } : {};
  return findPage(ctx, CmsSiteSchema, 'cms_sites', where as never, filters);
}
