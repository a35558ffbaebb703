// What the middleware chain puts on ctx.state, in the order it runs.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from '../platform/logger.ts';
import type { Workspace, ApiToken } from '../domain/workspace/entities.ts';
import type { TenantContext } from '../domain/context.ts';
import type { Operation } from './contract.ts';
import type { IdempotencyClaim } from './middleware/idempotency.ts';

export interface AppState {
  requestId: string;
  log: Logger;
  em: EntityManager;
  operation?: Operation;
  workspace?: Workspace;
  token?: ApiToken;
  tenant?: TenantContext;
  input?: { query: Record<string, any>; path: Record<string, any>; body: any };
  idempotency?: IdempotencyClaim;
}
