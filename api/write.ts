// Runs a handler's write in one transaction with everything that must commit with it: the
// outbox events the domain records and the idempotency key's stored response.
import type { Context } from 'koa';
import type { EntityManager } from '@mikro-orm/postgresql';
import { withEm, type TenantContext } from '../domain/context.ts';
import { completeClaim } from './middleware/idempotency.ts';
import type { AppState } from './state.ts';

export async function respondWithWrite<T>(
  ctx: Context & { state: AppState },
  status: number,
  work: (tenant: TenantContext, tx: EntityManager) => Promise<T>,
): Promise<void> {
  const body = await ctx.state.em.transactional(async (tx) => {
    const data = await work(withEm(ctx.state.tenant!, tx), tx);
    const body = { data, request_id: ctx.state.requestId };
    if (ctx.state.idempotency) await completeClaim(tx, ctx.state.idempotency, status, { data });
    return body;
  });
  ctx.status = status;
  ctx.body = body;
}

export function respond<T>(ctx: Context & { state: AppState }, data: T, extra: Record<string, unknown> = {}): void {
  ctx.status = 200;
  ctx.body = { data, ...extra, request_id: ctx.state.requestId };
}
