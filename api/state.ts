// What the middleware chain puts on ctx.state, in the order it runs.
import type { EntityManager } from '../platform/db.ts';
import type { Logger } from '../platform/logger.ts';
import type { Workspace, ApiToken } from '../kernel/tenancy/entities.ts';
import type { TenantContext } from '../kernel/tenant.ts';
import type { Operation } from './contract.ts';

/** The Idempotency-Key a request holds, per workspace and operation. */
export interface IdempotencyClaim { workspaceId: string; operation: string; key: string }

/** The request as validated against its operation (types per operation: api/operations.ts). */
export interface ValidatedInput { query: Record<string, unknown>; path: Record<string, string>; body: unknown }

export interface AppState {
  requestId: string;
  log: Logger;
  em: EntityManager;
  operation?: Operation;
  workspace?: Workspace;
  token?: ApiToken;
  tenant?: TenantContext;
  input?: ValidatedInput;
  idempotency?: IdempotencyClaim;
}
