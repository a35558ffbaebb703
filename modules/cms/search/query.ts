// A search text as a PostgreSQL tsquery: every word must match, the last one also as a prefix
// (search-as-you-type) unless the text ends with a space. Words are parsed by each language's
// configuration (stemming, stop words, unaccent) and the readings are OR-ed, so one query serves
// entries of sites in different languages through the one GIN index.
import { validationFailed } from '../../../platform/errors.ts';
import { sql } from '../../../platform/db.ts';
import type { TenantContext } from '../../../kernel/tenant.ts';
import { DEFAULT_SEARCH_LANGUAGE, SEARCH_LANGUAGES, type SearchLanguage } from './languages.ts';

/** Beyond this many words a query only gets slower, not better. */
const MAX_WORDS = 16;

export interface ParsedQuery { words: string[]; prefix: boolean }

/** Letters and digits make words; anything else separates them. No word → 422 naming the field. */
export function parseSearchText(text: string, field = 'query'): ParsedQuery {
  const words = (text.normalize('NFKC').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, MAX_WORDS);
  if (!words.length) throw validationFailed([{ field, problem: 'must contain a word to search for (letters or digits)' }]);
  return { words, prefix: !/\s$/u.test(text) };
}

/** to_tsquery input: the words are letters and digits only, so quoting them is enough. */
export function tsqueryInput(parsed: ParsedQuery): string {
  return parsed.words.map((w, i) => `'${w}'${parsed.prefix && i === parsed.words.length - 1 ? ':*' : ''}`).join(' & ');
}

/** The languages entries in scope are indexed in: the site's, or every site's plus simple. */
async function languagesInScope(ctx: TenantContext, siteId: string | undefined): Promise<SearchLanguage[]> {
  const rows = await sql<{ search_language: SearchLanguage }[]>(ctx.em,
    `select distinct search_language from cms_sites where workspace_id = ?${siteId ? ' and id = ?' : ''}`,
    siteId ? [ctx.workspaceId, siteId] : [ctx.workspaceId]);
  const languages = new Set(rows.map((r) => r.search_language));
  if (!siteId) languages.add(DEFAULT_SEARCH_LANGUAGE);
  return [...languages];
}

/**
 * The tsquery (as text, for `?::tsquery`) matching the words in every language in scope, or
 * null when no language keeps a word (only stop words): nothing can match.
 */
export async function resolveTsquery(ctx: TenantContext, parsed: ParsedQuery, siteId?: string): Promise<string | null> {
  const configs = (await languagesInScope(ctx, siteId)).map((l) => SEARCH_LANGUAGES[l]);
  if (!configs.length) return null;
  const input = tsqueryInput(parsed);
  const readings = configs.map(() => 'to_tsquery(?::regconfig, ?)::text').join(', ');
  const [row] = await sql<{ query: string | null }[]>(ctx.em,
    `select string_agg(distinct '(' || r || ')', ' | ') as query from unnest(array[${readings}]) r where r <> ''`,
    configs.flatMap((c) => [c, input]));
  return row?.query ?? null;
}
