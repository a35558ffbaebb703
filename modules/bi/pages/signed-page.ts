// A page opened through a signed link (`/bi/pages/<kind>/:id`): the link is verified (bound to the
// object, its workspace and the expiry) and the object read in its workspace; a tampered or expired
// link, or an object gone or archived, answers the 403 page. `draw` only draws the object.
import type { EntityName, FilterQuery } from '@mikro-orm/postgresql';
import type { AppDeps } from '../../../api/deps.ts';
import { systemTenant, type TenantContext } from '../../../kernel/tenant.ts';
import type { PageSpec } from '../../manifest.ts';
import { refused } from './page-html.ts';
import { verifyPageLink, type PageClaim } from './signing.ts';

export function signedPage<T extends { status: string }>(
  kind: PageClaim['kind'], entity: EntityName<T>,
  draw: (deps: AppDeps, ctx: TenantContext, row: T) => Promise<{ status: number; html: string }>,
): PageSpec {
  return {
    path: `/bi/pages/${kind}/:id`,
    async render(deps, req) {
      const claim = verifyPageLink(deps.config.cursorSecret, kind, req.params.id ?? '', req.query);
      if (!claim) return refused();
      const ctx = systemTenant(deps.orm.em.fork(), claim.workspaceId, deps.resources);
      const row = await ctx.em.findOne(entity, { id: claim.id, workspace_id: claim.workspaceId } as FilterQuery<T>) as T | null;
      if (!row || row.status === 'archived') return refused();
      return draw(deps, ctx, row);
    },
  };
}
