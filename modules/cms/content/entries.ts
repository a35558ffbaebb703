// Entries: fields valid against their collection's schema, a slug unique in its site (or
// collection), the editorial status flow, and scheduled publishing (publish_at, an entry in review).
import { LockMode, raw, type FilterQuery } from '@mikro-orm/postgresql';
import { newId } from '../../../platform/ids.ts';
import { notFound, ruleViolation, validationFailed } from '../../../platform/errors.ts';
import type { BodyOf } from '../../../api/operations.ts';
import type { TenantContext } from '../../../kernel/tenant.ts';
import { recordCreated, recordEvent } from '../../../kernel/outbox.ts';
import { findPage, type Page, type PageRequest } from '../../../kernel/pagination.ts';
import { customFieldFilter } from '../../../kernel/custom-field-filter.ts';
import { mergeCustomFields } from '../../../kernel/custom-fields.ts';
import { CMS_IDS } from '../ids.ts';
import { CmsEntrySchema, type CmsEntry, type EntryStatus } from '../entities.ts';
import { serializeEntry } from '../serializers.ts';
import { searchConfigOf } from '../search/languages.ts';
import { entryFilterWhere, type EntryFilter } from '../search/filters.ts';
import { parseSearchText, resolveTsquery } from '../search/query.ts';
import { requestEntryPublishing } from '../publishing/schedule.ts';
import { getCampaign } from '../marketing/campaigns.ts';
import { getCollection } from './collections.ts';
import { getSite } from './sites.ts';
import { assertValidFields, withoutNulls } from './entry-fields.ts';
import { assertTransition } from './entry-status.ts';
import { assertSlugFree } from './slugs.ts';

export type NewEntry = BodyOf<'createCmsEntry'>;
export type EntryPatch = BodyOf<'updateCmsEntry'>;

export async function createEntry(ctx: TenantContext, input: NewEntry): Promise<CmsEntry> {
  const collection = await getCollection(ctx, input.collection_id);
  const site = input.site_id ? await getSite(ctx, input.site_id) : null;
  if (input.campaign_id) await getCampaign(ctx, input.campaign_id);
  const status = input.status ?? 'draft';
  const now = new Date();
  const publishAt = input.publish_at ? futureMoment(input.publish_at, now) : null;
  if (publishAt) assertSchedulable(status);
  const fields = withoutNulls(input.fields ?? {});
  const schema = await assertValidFields(ctx, collection, fields);
  await assertSlugFree(ctx, { id: null, collection_id: collection.id, site_id: site?.id ?? null, fields });

  const entry = ctx.em.create(CmsEntrySchema, {
    id: newId(CMS_IDS.entry),
    workspace_id: ctx.workspaceId,
    collection_id: collection.id,
    site_id: site?.id ?? null,
    campaign_id: input.campaign_id ?? null,
    content_type: input.content_type ?? 'other',
    title: input.title,
    status,
    fields,
    custom_fields: input.custom_fields ?? {},
    published_at: status === 'published' ? now : null,
    publish_at: publishAt,
    search_config: searchConfigOf(site?.search_language),
    search_short_keys: schema.shortTextKeys,
    search_long_keys: schema.longTextKeys,
    created_at: now,
    updated_at: now,
  });
  ctx.em.persist(entry);
  const payload = serializeEntry(entry);
  recordCreated(ctx, 'cms_entry', entry.id, payload);
  if (status === 'published') recordEvent(ctx, { type: 'cms_entry.published', resource_type: 'cms_entry', resource_id: entry.id, payload });
  if (publishAt) requestEntryPublishing(ctx, entry.id);
  await ctx.em.flush();
  return entry;
}

/**
 * Applies a patch under the entry's row lock: fields and custom_fields shallow-merged (null
 * removes a key) and the merged fields validated, the status moved along the flow, the schedule
 * set, moved or cleared (leaving review clears it). Emits `cms_entry.updated` with
 * changed_fields when anything changed, and `cms_entry.published` when it became published.
 */
export async function updateEntry(ctx: TenantContext, id: string, patch: EntryPatch): Promise<CmsEntry> {
  const entry = await lockEntry(ctx, id);
  const now = new Date();
  const changed = new Set<string>();
  const set = <K extends keyof CmsEntry & string>(field: K, value: CmsEntry[K]) => {
    if (sameValue(entry[field], value)) return;
    entry[field] = value;
    changed.add(field);
  };

  if (patch.title !== undefined) set('title', patch.title);
  if (patch.content_type !== undefined) set('content_type', patch.content_type);
  if (patch.campaign_id !== undefined) set('campaign_id', patch.campaign_id === null ? null : (await getCampaign(ctx, patch.campaign_id)).id);
  if (patch.site_id !== undefined) {
    const site = patch.site_id === null ? null : await getSite(ctx, patch.site_id);
    set('site_id', site?.id ?? null);
    set('search_config', searchConfigOf(site?.search_language));
  }
  if (patch.custom_fields !== undefined) set('custom_fields', mergeCustomFields(entry.custom_fields, patch.custom_fields));
  if (patch.fields !== undefined) {
    const fields = withoutNulls({ ...entry.fields, ...patch.fields });
    await assertValidFields(ctx, await getCollection(ctx, entry.collection_id), fields);
    set('fields', fields);
  }
  const wasPublished = entry.status === 'published';
  if (patch.status !== undefined && patch.status !== entry.status) {
    assertTransition(entry.status, patch.status);
    set('status', patch.status);
    if (patch.status === 'published') set('published_at', now);
  }
  set('publish_at', nextSchedule(entry, patch, now));
  if (changed.has('fields') || changed.has('site_id')) {
    await assertSlugFree(ctx, { id: entry.id, collection_id: entry.collection_id, site_id: entry.site_id ?? null, fields: entry.fields });
  }

  if (!changed.size) return entry;
  entry.updated_at = now;
  const payload = serializeEntry(entry);
  recordEvent(ctx, { type: 'cms_entry.updated', resource_type: 'cms_entry', resource_id: entry.id, payload: { ...payload, changed_fields: [...changed].filter(isServed) } });
  if (!wasPublished && entry.status === 'published') recordEvent(ctx, { type: 'cms_entry.published', resource_type: 'cms_entry', resource_id: entry.id, payload });
  // Set, moved or cleared: the entry's publishing workflow reads the new schedule.
  if (changed.has('publish_at')) requestEntryPublishing(ctx, entry.id);
  await ctx.em.flush();
  return entry;
}

/**
 * The schedule after the patch: a new publish_at must be in the future and the entry in review;
 * an entry that leaves review (published by hand, sent back, archived) is no longer scheduled.
 */
function nextSchedule(entry: CmsEntry, patch: EntryPatch, now: Date): Date | null {
  if (patch.publish_at === null) return null;
  if (patch.publish_at !== undefined) {
    const at = futureMoment(patch.publish_at, now);
    assertSchedulable(entry.status);
    return at;
  }
  return entry.status === 'review' ? entry.publish_at ?? null : null;
}

function futureMoment(iso: string, now: Date): Date {
  const at = new Date(iso);
  if (!(at.getTime() > now.getTime())) throw validationFailed([{ field: 'publish_at', problem: `must be in the future (it is ${iso}; now is ${now.toISOString()})` }]);
  return at;
}

function assertSchedulable(status: EntryStatus): void {
  if (status !== 'review') {
    throw ruleViolation('publish_at', `publish_at schedules the publishing of an entry in review; this entry would be ${status}.`, { status });
  }
}

/** Internal columns change with the site or the fields; events name only the contract's fields. */
const isServed = (field: string) => !field.startsWith('search_');

const sameValue = (a: unknown, b: unknown) => {
  if (a instanceof Date || b instanceof Date) return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  if (a && b && typeof a === 'object') return JSON.stringify(a) === JSON.stringify(b);
  return a === b;
};

export async function lockEntry(ctx: TenantContext, id: string): Promise<CmsEntry> {
  const entry = await ctx.em.findOne(CmsEntrySchema, { id, workspace_id: ctx.workspaceId }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  if (!entry) throw notFound('cms_entry', id);
  return entry;
}

export interface EntryFilters extends PageRequest, EntryFilter {
  query?: string;
  custom_field_key?: string;
  custom_field_value?: string;
}

/** Newest first; `query` matches as search does (every word, the last as a prefix), unranked. */
export async function listEntries(ctx: TenantContext, filters: EntryFilters): Promise<Page<CmsEntry>> {
  const conditions: FilterQuery<CmsEntry>[] = [entryFilterWhere(filters)];
  const custom = customFieldFilter(filters.custom_field_key, filters.custom_field_value);
  if (custom) conditions.push(custom as FilterQuery<CmsEntry>);
  if (filters.query) {
    const tsquery = await resolveTsquery(ctx, parseSearchText(filters.query), filters.site_id);
    if (!tsquery) return { items: [], next_cursor: null };
    conditions.push({ [raw('search_vector @@ ?::tsquery', [tsquery.all])]: true } as FilterQuery<CmsEntry>);
  }
  return findPage(ctx, CmsEntrySchema, 'cms_entries', { $and: conditions } as FilterQuery<CmsEntry>, filters);
}
