// Ranked full-text search over a workspace's entries: the GIN index (or, for a query matching
// most entries, the newest-first index) finds the matches, ts_rank_cd ranks them, ts_headline marks
// the page's snippets. Keyset pages over (score, id): the cursor holds the last hit's score and id
// and the oldest candidate's id (the floor), so every page ranks the same candidates and a page
// never repeats or skips an entry that did not change meanwhile. A query matching more than
// SEARCH_DEPTH entries ranks the newest SEARCH_DEPTH of them: a one- or two-letter prefix matches
// nearly everything, and ranking all of it would cost a scan of every match.
import { createHash } from 'node:crypto';
import { decodeCursor, encodeCursor, invalidCursor, type CursorScope } from '../../../platform/cursor.ts';
import { sql } from '../../../platform/db.ts';
import type { TenantContext } from '../../../kernel/tenant.ts';
import { DEFAULT_LIMIT, type Page, type PageRequest } from '../../../kernel/pagination.ts';
import { CmsEntrySchema, type CmsEntry, type ContentType, type EntryStatus } from '../entities.ts';
import { entryFilterSql } from './filters.ts';
import { highlightOptions, renderSnippet, windowWords, HIGHLIGHT_CHARS, MATCH_START } from './highlights.ts';
import { parseSearchText, resolveTsquery, type ResolvedQuery } from './query.ts';

export const SEARCH_DEPTH = 1000;

/** ts_rank_cd normalisation: 1 divides by 1 + log(document length), 32 maps to 0..1. */
const RANK_NORMALIZATION = 1 | 32;

/** The entry columns a hit is built from (the entity's; never the search vector). */
const ENTRY_COLUMNS = ['id', 'workspace_id', 'collection_id', 'site_id', 'campaign_id', 'content_type', 'title', 'status', 'fields',
  'custom_fields', 'published_at', 'publish_at', 'search_config', 'search_short_keys', 'search_long_keys', 'created_at', 'updated_at'];

export interface SearchFilters extends PageRequest {
  query: string;
  collection_id?: string;
  site_id?: string;
  campaign_id?: string;
  content_type?: ContentType;
  status?: EntryStatus;
}

export interface Highlight { field: string; snippet: string }
export interface SearchHit { entry: CmsEntry; score: number; highlights: Highlight[] }

export interface Position { score: number; id: string; floor: string }

interface HitRow extends Record<string, unknown> { score: number; floor: string; highlights: Highlight[] }

export async function searchEntries(ctx: TenantContext, filters: SearchFilters): Promise<Page<SearchHit>> {
  const parsed = parseSearchText(filters.query);
  const scope = cursorScope(ctx, filters);
  const after = filters.cursor ? decodePosition(scope, filters.cursor) : null;
  const tsquery = await resolveTsquery(ctx, parsed, filters.site_id);
  if (!tsquery) return { items: [], next_cursor: null };
  const limit = filters.limit ?? DEFAULT_LIMIT;
  const query = rankedPageSql(ctx, filters, parsed.words, tsquery, after, limit);
  const rows = await sql<HitRow[]>(ctx.em, query.sql, query.params);

  const pageRows = rows.slice(0, limit);
  const items = pageRows.map(({ score, floor: _floor, highlights, ...entry }) => ({
    entry: ctx.em.map(CmsEntrySchema, entry),
    score: Number(score),
    highlights: highlights.map((h) => ({ field: h.field, snippet: renderSnippet(h.snippet) })),
  }));
  const last = pageRows[pageRows.length - 1];
  const next_cursor = rows.length > limit && last
    ? encodeCursor(scope, { after: JSON.stringify([Number(last.score), last.id, after?.floor ?? last.floor]) })
    : null;
  return { items, next_cursor };
}

/**
 * The page's SQL: the candidates (the newest SEARCH_DEPTH matches on a first page, every match
 * from the cursor's floor on later ones, so entries added meanwhile rank among them), ranked, cut
 * after the cursor, with the page's entries and their highlights. A field is highlighted only
 * when its weight class (A title, B short text, C long text) holds a matching word.
 */
export function rankedPageSql(ctx: TenantContext, filters: SearchFilters, words: string[], tsquery: ResolvedQuery, after: Position | null, limit: number): { sql: string; params: unknown[] } {
  const filter = entryFilterSql(ctx, filters);
  const sql = `with ranked as (
       select id, ts_rank_cd(search_vector, ?::tsquery, ${RANK_NORMALIZATION}) as score, min(id) over () as floor
       from (
         select e.id, e.search_vector from cms_entries e
         where ${filter.sql} and e.search_vector @@ ?::tsquery ${after ? 'and e.id >= ?' : ''}
         order by e.id desc ${after ? '' : `limit ${SEARCH_DEPTH}`}
       ) c
     ), page as (
       select id, score, floor from ranked
       ${after ? 'where score < ?::real or (score = ?::real and id < ?)' : ''}
       order by score desc, id desc limit ?
     )
     select ${ENTRY_COLUMNS.map((c) => `e.${c}`).join(', ')}, p.score, p.floor, h.highlights
     from page p
     join cms_entries e on e.id = p.id
     join cms_collections c on c.id = e.collection_id
     cross join lateral (
       select ts_filter(e.search_vector, '{a}') @@ ?::tsquery as in_title,
              ts_filter(e.search_vector, '{b}') @@ ?::tsquery as in_short,
              ts_filter(e.search_vector, '{c}') @@ ?::tsquery as in_long
     ) m
     cross join lateral (
       select coalesce(jsonb_agg(jsonb_build_object('field', x.field, 'snippet', x.snippet) order by x.ord), '[]'::jsonb) as highlights
       from (
         select 'title' as field, 0::bigint as ord, ts_headline(e.search_config, e.title, ?::tsquery, ?) as snippet
         where m.in_title
         union all
         select 'fields.' || (d.def->>'key'), d.ord, ts_headline(e.search_config, cms_highlight_window(
           case when d.def->>'type' = 'html' then regexp_replace(e.fields->>(d.def->>'key'), '<[^>]*>', ' ', 'g') else e.fields->>(d.def->>'key') end,
           string_to_array(?, ' '), ${HIGHLIGHT_CHARS}), ?::tsquery, ?)
         from jsonb_array_elements(c.schema->'fields') with ordinality as d(def, ord)
         where jsonb_typeof(e.fields->(d.def->>'key')) = 'string'
           and ((d.def->>'type' = 'string' and m.in_short) or (d.def->>'type' in ('text', 'markdown', 'html') and m.in_long))
       ) x
       where strpos(x.snippet, ?) > 0
     ) h
     order by p.score desc, p.id desc`;
  const params = [
    tsquery.all, ...filter.params, tsquery.all, ...(after ? [after.floor, after.score, after.score, after.id] : []), limit + 1,
    tsquery.any, tsquery.any, tsquery.any, tsquery.any, highlightOptions, windowWords(words), tsquery.any, highlightOptions, MATCH_START,
  ];
  return { sql, params };
}

/** A cursor is bound to the workspace and to this exact search (text and filters). */
function cursorScope(ctx: TenantContext, f: SearchFilters): CursorScope {
  const search = JSON.stringify([f.query, f.collection_id, f.site_id, f.campaign_id, f.content_type, f.status]);
  return { secret: ctx.cursorSecret, workspaceId: ctx.workspaceId, list: `cms_entries.search:${createHash('sha256').update(search).digest('base64url')}` };
}

function decodePosition(scope: CursorScope, cursor: string): Position {
  const { after } = decodeCursor(scope, cursor);
  try {
    const [score, id, floor] = JSON.parse(after) as unknown[];
    if (typeof score === 'number' && Number.isFinite(score) && typeof id === 'string' && typeof floor === 'string') return { score, id, floor };
  } catch { /* falls through */ }
  throw invalidCursor();
}
