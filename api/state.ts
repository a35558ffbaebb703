// What the middleware chain puts on ctx.state, in the order it runs.
import type { EntityManager } from '../platform/db.ts';
import type { Logger } from '../platform/logger.ts';
import type { Operation } from './contract.ts';

/** What an operation answers: the status and the envelope without its request_id. */
export interface Reply { status: number; body: Record<string, unknown> }

/** How a call arrived. MCP calls name their client (from its initialize request). */
export type Channel = { kind: 'rest' } | { kind: 'mcp'; client: string };

/** The Idempotency-Key a request holds, per workspace and operation. */
export interface IdempotencyClaim {
  workspaceId: string; operation: string; key: string;
  /** Set once a write's transaction committed the stored response (nothing left to complete). */
  completed?: boolean;
}

/** The request as validated against its operation (types per operation: api/operations.ts). */
export interface ValidatedInput { query: Record<string, unknown>; path: Record<string, string>; body: unknown }

/** What the REST middleware puts on ctx.state. */
export interface AppState {
  requestId: string;
  log: Logger;
  em: EntityManager;
  operation?: Operation;
  /** The caller's workspace, once authenticated (for the access log). */
  workspaceId?: string;
}
