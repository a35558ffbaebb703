import { list, write, type OperationHandlers } from '../../api/operations.ts';
import { createCollection } from './content/collections.ts';
import { createSite, listSites } from './content/sites.ts';
import { createEntry, listEntries, updateEntry } from './content/entries.ts';
import { searchEntries } from './search/search.ts';
import { createCampaign, listCampaigns } from './marketing/campaigns.ts';
import { createPost, listPosts } from './marketing/posts.ts';
import { serializeCampaign, serializeCollection, serializeEntry, serializePost, serializeSite } from './serializers.ts';

export const cmsOperations = {
  createCmsCollection: write(201, ({ tenant, body }) => createCollection(tenant, body), serializeCollection),
  listCmsSites: list(({ tenant, query }) => listSites(tenant, query), serializeSite),
  createCmsSite: write(201, ({ tenant, body }) => createSite(tenant, body), serializeSite),
  listCmsEntries: list(({ tenant, query }) => listEntries(tenant, query), serializeEntry),
  createCmsEntry: write(201, ({ tenant, body }) => createEntry(tenant, body), serializeEntry),
  searchCmsEntries: list(({ tenant, query }) => searchEntries(tenant, query),
    (hit) => ({ ...serializeEntry(hit.entry), score: hit.score, highlights: hit.highlights })),
  updateCmsEntry: write(200, ({ tenant, path, body }) => updateEntry(tenant, path.entry_id, body), serializeEntry),
  listMarketingCampaigns: list(({ tenant, query }) => listCampaigns(tenant, query), serializeCampaign),
  createMarketingCampaign: write(201, ({ tenant, body }) => createCampaign(tenant, body), serializeCampaign),
  listMarketingPosts: list(({ tenant, query }) => listPosts(tenant, query), serializePost),
  createMarketingPost: write(201, ({ tenant, body }) => createPost(tenant, body), serializePost),
} satisfies OperationHandlers;
