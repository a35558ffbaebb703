// The contract's CMS and marketing resources, from their rows.
import type { Schema } from '../../api/operations.ts';
import { nulled } from '../../kernel/serialize.ts';
import type { CmsCollection, CmsEntry, CmsSite, MarketingCampaign, MarketingPost } from './entities.ts';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export const serializeCollection = (c: CmsCollection): Schema<'CmsCollection'> => nulled({
  id: c.id,
  key: c.key,
  name: c.name,
  description: c.description,
  schema: { fields: c.schema.fields },
  created_at: c.created_at.toISOString(),
  updated_at: c.updated_at.toISOString(),
});

export const serializeSite = (s: CmsSite): Schema<'CmsSite'> => nulled({
  id: s.id,
  key: s.key,
  name: s.name,
  primary_domain: s.primary_domain,
  description: s.description,
  search_language: s.search_language,
  created_at: s.created_at.toISOString(),
  updated_at: s.updated_at.toISOString(),
});

export const serializeEntry = (e: CmsEntry): Schema<'CmsEntry'> => nulled({
  id: e.id,
  collection_id: e.collection_id,
  site_id: e.site_id,
  campaign_id: e.campaign_id,
  content_type: e.content_type,
  title: e.title,
  status: e.status,
  fields: e.fields,
  custom_fields: e.custom_fields,
  published_at: iso(e.published_at),
  publish_at: iso(e.publish_at),
  created_at: e.created_at.toISOString(),
  updated_at: e.updated_at.toISOString(),
});

export const serializeCampaign = (c: MarketingCampaign): Schema<'MarketingCampaign'> => nulled({
  id: c.id,
  key: c.key,
  name: c.name,
  description: c.description,
  channel: c.channel,
  status: c.status,
  start_date: c.start_date,
  end_date: c.end_date,
  created_at: c.created_at.toISOString(),
  updated_at: c.updated_at.toISOString(),
});

export const serializePost = (p: MarketingPost): Schema<'MarketingPost'> => nulled({
  id: p.id,
  campaign_id: p.campaign_id,
  channel: p.channel,
  title: p.title,
  body: p.body,
  status: p.status,
  scheduled_at: iso(p.scheduled_at),
  published_at: iso(p.published_at),
  external_url: p.external_url,
  asset_ids: p.asset_ids,
  created_at: p.created_at.toISOString(),
  updated_at: p.updated_at.toISOString(),
});
