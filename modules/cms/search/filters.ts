// The entry filters listCmsEntries and searchCmsEntries share: archived entries are left out
// unless status=archived is asked for. As a filter query (lists) and as SQL over `e` (search).
import type { FilterQuery } from '@mikro-orm/postgresql';
import type { TenantContext } from '../../../kernel/tenant.ts';
import type { CmsEntry, ContentType, EntryStatus } from '../entities.ts';

export interface EntryFilter {
  collection_id?: string;
  site_id?: string;
  campaign_id?: string;
  content_type?: ContentType;
  status?: EntryStatus;
}

const COLUMNS = ['collection_id', 'site_id', 'campaign_id', 'content_type'] as const;

export function entryFilterWhere(f: EntryFilter): FilterQuery<CmsEntry> {
  const where: Record<string, unknown> = {};
  for (const column of COLUMNS) if (f[column] !== undefined) where[column] = f[column];
  where.status = f.status ?? { $ne: 'archived' };
  return where as FilterQuery<CmsEntry>;
}

export function entryFilterSql(ctx: TenantContext, f: EntryFilter): { sql: string; params: unknown[] } {
  const clauses = ['e.workspace_id = ?'];
  const params: unknown[] = [ctx.workspaceId];
  for (const column of COLUMNS) {
    if (f[column] !== undefined) { clauses.push(`e.${column} = ?`); params.push(f[column]); }
  }
  if (f.status) { clauses.push('e.status = ?'); params.push(f.status); } else clauses.push(`e.status <> 'archived'`);
  return { sql: clauses.join(' and '), params };
}
