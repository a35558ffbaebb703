// Mounts every implemented operation at its contract path and method, with its declarative chain:
// authenticate → authorize (scope, module) → rate limit → parse → validate → idempotency → handler.
import Router from '@koa/router';
import type { Context } from 'koa';
import type { Contract } from './contract.ts';
import type { AppDeps } from './deps.ts';
import type { AppState } from './state.ts';
import type { OperationHandler, OperationHandlers, OperationId, OperationRequest } from './operations.ts';
import { authenticateBearer, authorize } from './middleware/auth.ts';
import { rateLimit } from './middleware/rate-limit.ts';
import { parseJsonBody } from './middleware/body.ts';
import { validateRequest } from './middleware/validate.ts';
import { idempotency } from './middleware/idempotency.ts';

export function operationsRouter(deps: AppDeps, contract: Contract, handlers: OperationHandlers): Router<AppState> {
  const router = new Router<AppState>();
  const authn = authenticateBearer(deps);
  const limiter = rateLimit(deps.config.defaultRateLimitPerSecond);
  const parser = parseJsonBody(deps.config.bodyLimitBytes);
  for (const [operationId, handler] of Object.entries(handlers) as [OperationId, OperationHandler<OperationId>][]) {
    const op = contract.byId.get(operationId);
    if (!op) throw new Error(`Handler "${operationId}" has no operation in the contract.`);
    router[op.method](operationId, op.koaPath,
      async (ctx, next) => { ctx.state.operation = op; await next(); },
      authn, authorize(op), limiter, parser, validateRequest(op),
      ...(op.idempotent ? [idempotency(op)] : []),
      async (ctx) => {
        const reply = await handler(requestOf(ctx, operationId, deps));
        ctx.status = reply.status;
        ctx.body = { ...reply.body, request_id: ctx.state.requestId };
      });
  }
  return router;
}

/** The typed request a handler sees; the chain above has set every part of it. */
function requestOf(ctx: Context & { state: AppState }, operationId: OperationId, deps: AppDeps): OperationRequest<OperationId> {
  const { tenant, workspace, token, input } = ctx.state;
  if (!tenant || !workspace || !token || !input) throw new Error(`The middleware chain of ${operationId} did not run to its end.`);
  return {
    operationId, tenant, workspace, token, deps,
    path: input.path as never, query: input.query as never, body: input.body as never,
    requestId: ctx.state.requestId, log: ctx.state.log, claim: ctx.state.idempotency ?? null,
  };
}
