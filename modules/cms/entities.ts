// The CMS's rows. An entry's search vector and slug are derived by the database and not mapped:
// only SQL reads them.
import { defineEntity, type InferEntity } from '@mikro-orm/postgresql';
import type { Schema } from '../../api/operations.ts';
import { SEARCH_LANGUAGES, type SearchLanguage } from './search/languages.ts';

export type CmsFieldDefinition = Schema<'CmsFieldDefinition'>;
export type CmsFieldType = CmsFieldDefinition['type'];
export type EntryStatus = Schema<'CmsEntry'>['status'];
export type ContentType = Schema<'CmsEntry'>['content_type'];
export type MarketingChannel = Schema<'MarketingPost'>['channel'];
export type CampaignStatus = Schema<'MarketingCampaign'>['status'];
export type PostStatus = Schema<'MarketingPost'>['status'];

// The contract's enums as column values (the database's check constraints list the same).
export const ENTRY_STATUSES = ['draft', 'review', 'published', 'archived'] as const satisfies readonly EntryStatus[];
export const CONTENT_TYPES = ['website_page', 'landing_page', 'blog_post', 'article', 'social_post', 'email', 'case_study', 'asset_brief', 'other'] as const satisfies readonly ContentType[];
export const MARKETING_CHANNELS = ['website', 'blog', 'email', 'linkedin', 'x', 'facebook', 'instagram', 'youtube', 'tiktok', 'event', 'paid_ads', 'other'] as const satisfies readonly MarketingChannel[];
export const CAMPAIGN_STATUSES = ['draft', 'scheduled', 'active', 'paused', 'completed', 'archived'] as const satisfies readonly CampaignStatus[];
export const POST_STATUSES = ['draft', 'scheduled', 'published', 'failed', 'archived'] as const satisfies readonly PostStatus[];

export const CmsCollectionSchema = defineEntity({
  name: 'CmsCollection',
  tableName: 'cms_collections',
  properties: (p) => ({
    id: p.text().primary(),
    workspace_id: p.text(),
    key: p.text(),
    name: p.text(),
    description: p.text().nullable(),
    schema: p.json<{ fields: CmsFieldDefinition[] }>(),
    created_at: p.datetime().onCreate(() => new Date()),
    updated_at: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  }),
});
export type CmsCollection = InferEntity<typeof CmsCollectionSchema>;

export const CmsSiteSchema = defineEntity({
  name: 'CmsSite',
  tableName: 'cms_sites',
  properties: (p) => ({
    id: p.text().primary(),
    workspace_id: p.text(),
    key: p.text(),
    name: p.text(),
    primary_domain: p.text().nullable(),
    description: p.text().nullable(),
    search_language: p.enum(Object.keys(SEARCH_LANGUAGES) as SearchLanguage[]),
    /** Lower-cased text the `query` filter matches (a generated column with a trigram index). */
    search_text: p.text().generated('stored').nullable().lazy(true, false),
    created_at: p.datetime().onCreate(() => new Date()),
    updated_at: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  }),
});
export type CmsSite = InferEntity<typeof CmsSiteSchema>;

export const CmsEntrySchema = defineEntity({
  name: 'CmsEntry',
  tableName: 'cms_entries',
  properties: (p) => ({
    id: p.text().primary(),
    workspace_id: p.text(),
    collection_id: p.text(),
    site_id: p.text().nullable(),
    campaign_id: p.text().nullable(),
    content_type: p.enum([...CONTENT_TYPES]),
    title: p.text(),
    status: p.enum([...ENTRY_STATUSES]),
    fields: p.json<Record<string, unknown>>(),
    custom_fields: p.json<Record<string, unknown>>(),
    /** When the entry was last published. */
    published_at: p.datetime().nullable(),
    /** When the publishing workflow publishes it (an entry in review); null when not scheduled. */
    publish_at: p.datetime().nullable(),
    /** The text search configuration of its site's language (search/languages.ts). */
    search_config: p.text().columnType('regconfig'),
    /** Keys of the collection's `string` fields (weight B of the search vector). */
    search_short_keys: p.array(),
    /** Keys of its `text`, `markdown` and `html` fields (weight C). */
    search_long_keys: p.array(),
    created_at: p.datetime().onCreate(() => new Date()),
    updated_at: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  }),
});
export type CmsEntry = InferEntity<typeof CmsEntrySchema>;

export const MarketingCampaignSchema = defineEntity({
  name: 'MarketingCampaign',
  tableName: 'marketing_campaigns',
  properties: (p) => ({
    id: p.text().primary(),
    workspace_id: p.text(),
    key: p.text(),
    name: p.text(),
    description: p.text().nullable(),
    channel: p.enum([...MARKETING_CHANNELS]).nullable(),
    status: p.enum([...CAMPAIGN_STATUSES]),
    /** Calendar dates, `YYYY-MM-DD`. */
    start_date: p.date().nullable(),
    end_date: p.date().nullable(),
    /** Lower-cased text the `query` filter matches (a generated column with a trigram index). */
    search_text: p.text().generated('stored').nullable().lazy(true, false),
    created_at: p.datetime().onCreate(() => new Date()),
    updated_at: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  }),
});
export type MarketingCampaign = InferEntity<typeof MarketingCampaignSchema>;

export const MarketingPostSchema = defineEntity({
  name: 'MarketingPost',
  tableName: 'marketing_posts',
  properties: (p) => ({
    id: p.text().primary(),
    workspace_id: p.text(),
    campaign_id: p.text().nullable(),
    channel: p.enum([...MARKETING_CHANNELS]),
    title: p.text().nullable(),
    body: p.text(),
    status: p.enum([...POST_STATUSES]),
    /** When the publishing workflow publishes it (a scheduled post). */
    scheduled_at: p.datetime().nullable(),
    published_at: p.datetime().nullable(),
    external_url: p.text().nullable(),
    asset_ids: p.json<string[]>(),
    /** Lower-cased text the `query` filter matches (a generated column with a trigram index). */
    search_text: p.text().generated('stored').nullable().lazy(true, false),
    created_at: p.datetime().onCreate(() => new Date()),
    updated_at: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  }),
});
export type MarketingPost = InferEntity<typeof MarketingPostSchema>;
