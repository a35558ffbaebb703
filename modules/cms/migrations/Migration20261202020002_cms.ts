import { Migration } from '@mikro-orm/migrations';

// CMS collections, sites and entries, marketing campaigns and posts. Entries carry a generated
// tsvector (title A, `string` fields B, long-form fields C) in their site's search language, each
// language a text search configuration that also strips accents (unaccent).
export class Migration20261202020002_cms extends Migration {
  override up(): void {
    this.addSql(`create extension if not exists unaccent`);
    for (const language of LANGUAGES) {
      // Words with non-ASCII letters lose their accents before the language's dictionary reads
      // them (simple has no stemmer: its dictionary only lower-cases).
      const dictionary = language === 'simple' ? 'simple' : `${language}_stem`;
      this.addSql(`create text search configuration cms_${language} (copy = ${language})`);
      this.addSql(`alter text search configuration cms_${language} alter mapping for word, hword, hword_part with unaccent, ${dictionary}`);
    }
    // The values of `fields` whose keys are listed (a generated column cannot read the collection).
    this.addSql(`create function cms_pick_fields(fields jsonb, keys text[]) returns jsonb
      language sql immutable parallel safe
      as $$ select coalesce(jsonb_object_agg(key, value), '{}'::jsonb) from jsonb_each(fields) where key = any(keys) $$`);
    // The part of a long text a snippet is made from: `width` characters from a little before the
    // first occurrence of a query word (accents and case ignored), else the start; the words cut at
    // its edges dropped. ts_headline then parses that window, not a whole long body.
    this.addSql(`create function cms_highlight_window(body text, words text[], width integer) returns text
      language sql stable parallel safe
      as $$
        select case
          when length(body) <= width then body
          when p is null or p <= width / 4 then regexp_replace(left(body, width), '\\s+\\S*$', '')
          else regexp_replace(regexp_replace(substr(body, p - width / 4, width), '^\\S*\\s+', ''), '\\s+\\S*$', '')
        end
        from (select min(nullif(strpos(t, w), 0)) as p from (select unaccent(lower(body)) as t) b, unnest(words) w) m
      $$`);

    this.addSql(`create table cms_collections (
      id text primary key,
      workspace_id text not null references workspaces(id),
      key text not null,
      name text not null,
      description text,
      schema jsonb not null check (jsonb_typeof(schema->'fields') = 'array'),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`);
    this.addSql(`create unique index cms_collections_key_uq on cms_collections (workspace_id, key)`);

    this.addSql(`create table cms_sites (
      id text primary key,
      workspace_id text not null references workspaces(id),
      key text not null,
      name text not null,
      primary_domain text check (primary_domain = lower(primary_domain)),
      description text,
      search_language text not null default 'simple' check (search_language in (${LANGUAGES.map((l) => `'${l}'`).join(', ')})),
      search_text text generated always as (lower(key || ' ' || name || ' ' || coalesce(primary_domain, ''))) stored,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`);
    this.addSql(`create unique index cms_sites_key_uq on cms_sites (workspace_id, key)`);
    this.addSql(`create unique index cms_sites_domain_uq on cms_sites (workspace_id, primary_domain) where primary_domain is not null`);
    this.addSql(`create index cms_sites_workspace_idx on cms_sites (workspace_id, id)`);
    this.addSql(`create index cms_sites_search_idx on cms_sites using gin (workspace_id, search_text gin_trgm_ops)`);

    this.addSql(`create table marketing_campaigns (
      id text primary key,
      workspace_id text not null references workspaces(id),
      key text not null,
      name text not null,
      description text,
      channel text check (channel in (${CHANNELS})),
      status text not null check (status in ('draft', 'scheduled', 'active', 'paused', 'completed', 'archived')),
      start_date date,
      end_date date,
      search_text text generated always as (lower(key || ' ' || name || ' ' || coalesce(description, ''))) stored,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (start_date is null or end_date is null or start_date <= end_date)
    )`);
    this.addSql(`create unique index marketing_campaigns_key_uq on marketing_campaigns (workspace_id, key)`);
    this.addSql(`create index marketing_campaigns_workspace_idx on marketing_campaigns (workspace_id, id)`);
    this.addSql(`create index marketing_campaigns_status_idx on marketing_campaigns (workspace_id, status, id)`);
    this.addSql(`create index marketing_campaigns_channel_idx on marketing_campaigns (workspace_id, channel, id)`);
    this.addSql(`create index marketing_campaigns_search_idx on marketing_campaigns using gin (workspace_id, search_text gin_trgm_ops)`);

    this.addSql(`create table cms_entries (
      id text primary key,
      workspace_id text not null references workspaces(id),
      collection_id text not null references cms_collections(id),
      site_id text references cms_sites(id),
      campaign_id text references marketing_campaigns(id),
      content_type text not null check (content_type in ('website_page', 'landing_page', 'blog_post', 'article', 'social_post', 'email', 'case_study', 'asset_brief', 'other')),
      title text not null,
      status text not null check (status in ('draft', 'review', 'published', 'archived')),
      fields jsonb not null default '{}'::jsonb check (jsonb_typeof(fields) = 'object'),
      custom_fields jsonb not null default '{}'::jsonb check (jsonb_typeof(custom_fields) = 'object'),
      published_at timestamptz,
      publish_at timestamptz check (publish_at is null or status = 'review'),
      -- Not served: the search language's configuration and the keys of the collection's short
      -- (string) and long-form (text, markdown, html) fields, which the tsvector reads.
      search_config regconfig not null default 'cms_simple',
      search_short_keys text[] not null default '{}',
      search_long_keys text[] not null default '{}',
      slug text generated always as (fields->>'slug') stored,
      search_vector tsvector generated always as (
        setweight(to_tsvector(search_config, title), 'A')
        || setweight(jsonb_to_tsvector(search_config, cms_pick_fields(fields, search_short_keys), '["string"]'), 'B')
        || setweight(jsonb_to_tsvector(search_config, cms_pick_fields(fields, search_long_keys), '["string"]'), 'C')
      ) stored,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`);
    // The vector stays in the row (not TOASTed out of line, where every match check of a search
    // would fetch it through the TOAST index): the long `fields` go out of line first.
    this.addSql(`alter table cms_entries alter column search_vector set storage main`);
    // Lists read newest first, each filter with its own index; search goes through the GIN index.
    this.addSql(`create index cms_entries_workspace_idx on cms_entries (workspace_id, id)`);
    this.addSql(`create index cms_entries_collection_idx on cms_entries (workspace_id, collection_id, id)`);
    this.addSql(`create index cms_entries_site_idx on cms_entries (workspace_id, site_id, id) where site_id is not null`);
    this.addSql(`create index cms_entries_campaign_idx on cms_entries (workspace_id, campaign_id, id) where campaign_id is not null`);
    this.addSql(`create index cms_entries_status_idx on cms_entries (workspace_id, status, id)`);
    this.addSql(`create index cms_entries_content_type_idx on cms_entries (workspace_id, content_type, id)`);
    this.addSql(`create index cms_entries_search_idx on cms_entries using gin (workspace_id, search_vector)`);
    this.addSql(`create index cms_entries_custom_fields_idx on cms_entries using gin (workspace_id, custom_fields)`);
    // A slug is unique per site, or per collection for entries without a site.
    this.addSql(`create unique index cms_entries_site_slug_uq on cms_entries (workspace_id, site_id, slug) where site_id is not null and slug is not null`);
    this.addSql(`create unique index cms_entries_collection_slug_uq on cms_entries (workspace_id, collection_id, slug) where site_id is null and slug is not null`);

    this.addSql(`create table marketing_posts (
      id text primary key,
      workspace_id text not null references workspaces(id),
      campaign_id text references marketing_campaigns(id),
      channel text not null check (channel in (${CHANNELS})),
      title text,
      body text not null,
      status text not null check (status in ('draft', 'scheduled', 'published', 'failed', 'archived')),
      scheduled_at timestamptz,
      published_at timestamptz,
      external_url text,
      asset_ids jsonb not null default '[]'::jsonb check (jsonb_typeof(asset_ids) = 'array'),
      search_text text generated always as (lower(coalesce(title, '') || ' ' || body)) stored,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (status <> 'scheduled' or scheduled_at is not null)
    )`);
    this.addSql(`create index marketing_posts_workspace_idx on marketing_posts (workspace_id, id)`);
    this.addSql(`create index marketing_posts_campaign_idx on marketing_posts (workspace_id, campaign_id, id) where campaign_id is not null`);
    this.addSql(`create index marketing_posts_status_idx on marketing_posts (workspace_id, status, id)`);
    this.addSql(`create index marketing_posts_channel_idx on marketing_posts (workspace_id, channel, id)`);
    this.addSql(`create index marketing_posts_search_idx on marketing_posts using gin (workspace_id, search_text gin_trgm_ops)`);
  }
}

// As they were when this migration was written (search/languages.ts serves the same list).
const LANGUAGES = ['simple', 'english', 'french', 'german', 'spanish', 'italian', 'portuguese', 'dutch'];

const CHANNELS = ['website', 'blog', 'email', 'linkedin', 'x', 'facebook', 'instagram', 'youtube', 'tiktok', 'event', 'paid_ads', 'other']
  .map((c) => `'${c}'`).join(', ');
