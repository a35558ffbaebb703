// CMS and marketing: collections with typed field schemas, sites, entries (validated fields,
// editorial status flow, ranked full-text search, scheduled publishing), campaigns and posts
// (scheduled publishing).
import { defineModule } from '../manifest.ts';
import { CMS_IDS } from './ids.ts';
import { CmsCollectionSchema, CmsEntrySchema, CmsSiteSchema, MarketingCampaignSchema, MarketingPostSchema } from './entities.ts';
import { cmsOperations } from './operations.ts';
import { createPublishingActivities } from './publishing/activities.ts';
import { Migration20261202020002_cms } from './migrations/Migration20261202020002_cms.ts';

export const cmsModule = defineModule({
  name: 'cms',
  entities: [CmsCollectionSchema, CmsSiteSchema, CmsEntrySchema, MarketingCampaignSchema, MarketingPostSchema],
  migrations: [{ name: 'Migration20261202020002_cms', class: Migration20261202020002_cms }],
  // What BI may read (its catalog): search vectors and their configuration stay internal.
  biTables: [
    { table: 'cms_collections', description: 'CMS collections (content types with a field schema).', columns: ['id', 'key', 'name', 'description', 'created_at', 'updated_at'] },
    { table: 'cms_sites', description: 'CMS sites with their search language.', columns: ['id', 'key', 'name', 'primary_domain', 'description', 'search_language', 'created_at', 'updated_at'] },
    {
      table: 'cms_entries', description: 'CMS entries: collection, site, campaign, content type, status and publishing times.',
      columns: ['id', 'collection_id', 'site_id', 'campaign_id', 'content_type', 'title', 'status', 'fields', 'custom_fields', 'published_at', 'publish_at', 'created_at', 'updated_at'],
    },
    { table: 'marketing_campaigns', description: 'Marketing campaigns with channel, status and dates.', columns: ['id', 'key', 'name', 'description', 'channel', 'status', 'start_date', 'end_date', 'created_at', 'updated_at'] },
    { table: 'marketing_posts', description: 'Marketing posts by channel, with schedule and publishing times.', columns: ['id', 'campaign_id', 'channel', 'title', 'body', 'status', 'scheduled_at', 'published_at', 'external_url', 'created_at', 'updated_at'] },
  ],
  operations: cmsOperations,
  ids: CMS_IDS,
  relatedResources: { cms_entry: 'cms_entries', marketing_campaign: 'marketing_campaigns', marketing_post: 'marketing_posts' },
  workflows: ['publishCmsEntry', 'publishMarketingPost'],
  activities: createPublishingActivities,
  events: [
    { type: 'cms_collection.created', schema: 'CmsCollection', description: 'A CMS collection was created.' },
    { type: 'cms_site.created', schema: 'CmsSite', description: 'A CMS site was created.' },
    { type: 'cms_entry.created', schema: 'CmsEntry', description: 'A CMS entry was created.' },
    { type: 'cms_entry.updated', schema: 'CmsEntry', description: 'A CMS entry changed (through the API or its scheduled publishing); the payload adds changed_fields.' },
    { type: 'cms_entry.published', schema: 'CmsEntry', description: 'A CMS entry was published: created published, moved to published, or published at its publish_at by the cms-publish workflow.' },
    { type: 'marketing_campaign.created', schema: 'MarketingCampaign', description: 'A marketing campaign was created.' },
    { type: 'marketing_post.created', schema: 'MarketingPost', description: 'A marketing post was created.' },
    { type: 'marketing_post.published', schema: 'MarketingPost', description: 'A scheduled marketing post was published at its scheduled_at (what an integration posting to the network consumes).' },
  ],
});
