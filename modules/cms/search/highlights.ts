// Snippets as safe HTML: ts_headline marks matches with private-use sentinels (HTML fields lose
// their tags first); the snippet is HTML-escaped and only then are the sentinels turned
// into <mark> tags, so an entry's own markup can never reach a client that renders snippets as HTML.
export const MATCH_START = '\uE000';
const MATCH_END = '\uE001';

/** ts_headline reads a window of this many characters of a long field, around its first match. */
export const HIGHLIGHT_CHARS = 1_000;

/** The words a window looks for: lower-case without accents, as the SQL reads the text (unaccent(lower())). */
export const windowWords = (words: string[]) => words.map((w) => w.normalize('NFD').replace(/\p{M}/gu, '')).join(' ');

/** One excerpt around the best match, 12 to 30 words. */
export const highlightOptions = `StartSel=${MATCH_START}, StopSel=${MATCH_END}, MaxWords=30, MinWords=12`;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function renderSnippet(headline: string): string {
  return headline.replace(/[&<>"']/g, (c) => ESCAPES[c]!).replaceAll(MATCH_START, '<mark>').replaceAll(MATCH_END, '</mark>').trim();
}
