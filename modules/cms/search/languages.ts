// Search languages a site may choose, each a text search configuration (created by the CMS
// migration) that strips accents before the language's stemmer. Entries without a site use simple.
import type { Schema } from '../../../api/operations.ts';

export type SearchLanguage = Schema<'CmsSearchLanguage'>;

export const SEARCH_LANGUAGES: Record<SearchLanguage, string> = {
  simple: 'cms_simple',
  english: 'cms_english',
  french: 'cms_french',
  german: 'cms_german',
  spanish: 'cms_spanish',
  italian: 'cms_italian',
  portuguese: 'cms_portuguese',
  dutch: 'cms_dutch',
};

export const DEFAULT_SEARCH_LANGUAGE: SearchLanguage = 'simple';

export const searchConfigOf = (language: SearchLanguage | null | undefined) => SEARCH_LANGUAGES[language ?? DEFAULT_SEARCH_LANGUAGE];
