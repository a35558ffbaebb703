// A `slug` field's value is unique per site, or per collection for entries without a site (the
// partial unique indexes on cms_entries.slug are the last line of defence).
import { alreadyExists } from '../../../platform/errors.ts';
import { sql } from '../../../platform/db.ts';
import type { TenantContext } from '../../../kernel/tenant.ts';
import { lockNaturalKey } from '../../../kernel/locks.ts';

export interface SlugOwner { id: string | null; collection_id: string; site_id: string | null; fields: Record<string, unknown> }

/** 409 with the holder's id when another entry of the same site (or site-less collection) has this slug. */
export async function assertSlugFree(ctx: TenantContext, entry: SlugOwner): Promise<void> {
  const slug = entry.fields.slug;
  if (slug === undefined || slug === null) return;
  const json = JSON.stringify(slug);
  const scope = entry.site_id ? { where: 'site_id = ?', value: entry.site_id } : { where: 'site_id is null and collection_id = ?', value: entry.collection_id };
  await lockNaturalKey(ctx.em, 'cms-slug', ctx.workspaceId, scope.value, json);
  // The slug column is fields->>'slug': the same text reading of the JSON value.
  const [holder] = await sql<{ id: string }[]>(ctx.em,
    `select id from cms_entries where workspace_id = ? and slug = (?::jsonb #>> '{}') and ${scope.where} and id <> ? limit 1`,
    [ctx.workspaceId, json, scope.value, entry.id ?? '']);
  if (holder) throw alreadyExists('cms_entry', 'fields.slug', holder.id);
}
