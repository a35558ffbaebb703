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
