// The filters every BI list shares.
import { containsPattern } from '../../../kernel/pagination.ts';

/** Archived objects stay out of lists unless asked for. */
export const statusFilter = (status: string | undefined): Record<string, unknown> => (status ? { status } : { status: { $ne: 'archived' } });

/** `query`: a case-insensitive substring of the name or the description. */
export const searchFilter = (query: string | undefined): Record<string, unknown> => (query
  ? { $or: [{ name: { $ilike: containsPattern(query) } }, { description: { $ilike: containsPattern(query) } }] }
  : {});
