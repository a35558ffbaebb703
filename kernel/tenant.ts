// What every tenant-scoped domain function receives: the unit of work, the workspace it is
// confined to, the request that caused it (for events and logs), and what the app knows about
// its modules. Built by the API per request and by activities per step.
import type { EntityManager } from '../platform/db.ts';

/** Related-resource type → its table (code constants, never user input), from every manifest. */
export type RelatedResourceTables = ReadonlyMap<string, string>;

/** Who makes the change: an API token, an agent through MCP (named by its client), or the system. */
export interface Actor { type: 'api_token' | 'mcp_client' | 'system'; id: string | null; name: string | null }

export const SYSTEM_ACTOR: Actor = { type: 'system', id: null, name: null };

/** The default `source` / `channel` of a record the caller creates: `mcp` for an agent, else `api`. */
export const callerSource = (actor: Actor): 'mcp' | 'api' => (actor.type === 'mcp_client' ? 'mcp' : 'api');

export interface TenantContext {
  em: EntityManager;
  workspaceId: string;
  requestId: string | null;
  cursorSecret: string;
  /** Related-resource type → table, from every module's manifest. */
  resources: RelatedResourceTables;
  /** Ids of the workflow commands this unit of work enqueued: dispatched once it commits. */
  enqueued: string[];
  actor: Actor;
}

export const withEm = (ctx: TenantContext, em: EntityManager): TenantContext => ({ ...ctx, em });

/** A context for work outside a request (activities, the CLI): no cursors, no request. */
export function systemTenant(em: EntityManager, workspaceId: string, resources: RelatedResourceTables, requestId: string | null = null): TenantContext {
  return { em, workspaceId, requestId, cursorSecret: '', resources, enqueued: [], actor: SYSTEM_ACTOR };
}
