// A search text as a PostgreSQL tsquery: every word must match, the last one also as a prefix
// (search-as-you-type) unless the text ends with a space. Words are parsed by each language's
// configuration (stemming, stop words, unaccent) and the readings are OR-ed, so one query serves
// entries of sites in different languages through the one GIN index.
import { validationFailed } from '../../../platform/errors.ts';
import { sql } from '../../../platform/db.ts';
import type { TenantContext } from '../../../kernel/tenant.ts';
import { DEFAULT_SEARCH_LANGUAGE, SEARCH_LANGUAGES } from './languages.ts';

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
export function tsqueryInput(parsed: ParsedQuery, join: '&' | '|' = '&'): string {
  return parsed.words.map((w, i) => `'${w}'${parsed.prefix && i === parsed.words.length - 1 ? ':*' : ''}`).join(` ${join} `);
}

/** Every word (what matches), and any word (what a snippet marks), as `?::tsquery` text. */
export interface ResolvedQuery { all: string; any: string }

const LANGUAGE_CONFIGS = Object.entries(SEARCH_LANGUAGES);

/**
 * The words read in every language entries in scope are indexed in (the site's; without a site
 * filter every site's plus simple), OR-ed across languages; null when no language keeps a word
 * (only stop words): nothing can match.
 */
export async function resolveTsquery(ctx: TenantContext, parsed: ParsedQuery, siteId?: string): Promise<ResolvedQuery | null> {
  const [row] = await sql<{ all: string | null; any: string | null }[]>(ctx.em,
    `select string_agg(distinct '(' || q_all || ')', ' | ') filter (where q_all <> '') as all,
            string_agg(distinct '(' || q_any || ')', ' | ') filter (where q_any <> '') as any
     from (
       select to_tsquery(m.config::regconfig, ?)::text as q_all, to_tsquery(m.config::regconfig, ?)::text as q_any
       from (values ${LANGUAGE_CONFIGS.map(() => '(?, ?)').join(', ')}) as m(language, config)
       where m.language in (select search_language from cms_sites where workspace_id = ?${siteId ? ' and id = ?' : ''})${siteId ? '' : ' or m.language = ?'}
     ) readings`,
    [tsqueryInput(parsed), tsqueryInput(parsed, '|'), ...LANGUAGE_CONFIGS.flat(), ctx.workspaceId, ...(siteId ? [siteId] : [DEFAULT_SEARCH_LANGUAGE])]);
  return row?.all && row.any ? { all: row.all, any: row.any } : null;
}
