// What every tenant-scoped domain function receives: the unit of work, the workspace it is
// confined to, and the request that caused it (for events and logs).
import type { EntityManager } from '@mikro-orm/postgresql';

export interface TenantContext {
  em: EntityManager;
  workspaceId: string;
  requestId: string | null;
  cursorSecret: string;
}

export const withEm = (ctx: TenantContext, em: EntityManager): TenantContext => ({ ...ctx, em });
