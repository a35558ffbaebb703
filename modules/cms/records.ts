// A workspace's CMS records by id (404 naming the resource, also for another workspace's id) and
// natural keys unique in the workspace (a collection's key, a site's domain): writers of one value
// serialise on it, and a holder answers 409 naming it. Unique indexes remain the last line.
import type { EntityName, FilterQuery } from '@mikro-orm/postgresql';
import { alreadyExists, notFound } from '../../platform/errors.ts';
import type { TenantContext } from '../../kernel/tenant.ts';
import { lockNaturalKey } from '../../kernel/locks.ts';

export async function getRecord<T extends { id: string }>(ctx: TenantContext, entity: EntityName<T>, resource: string, id: string): Promise<T> {
  const record = await ctx.em.findOne(entity, { id, workspace_id: ctx.workspaceId } as FilterQuery<T>);
  if (!record) throw notFound(resource, id);
  return record as T;
}

export async function assertUnique<T extends { id: string }>(ctx: TenantContext, entity: EntityName<T>, resource: string, field: keyof T & string, value: string): Promise<void> {
  await lockNaturalKey(ctx.em, resource, field, ctx.workspaceId, value);
  const holder = await ctx.em.findOne(entity, { workspace_id: ctx.workspaceId, [field]: value } as FilterQuery<T>, { fields: ['id'] as never });
  if (holder) throw alreadyExists(resource, field, holder.id);
}
