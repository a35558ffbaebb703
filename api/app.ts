// Builds the Koa app (no listen): global middleware, system routes, then every implemented
// operation of the contract mounted at its path with its declarative chain:
// authenticate → authorize (scope, module) → rate limit → parse → validate → idempotency → handler.
import Koa from 'koa';
import Router from '@koa/router';
import { errorEnvelope } from './middleware/errors.ts';
import { requestContext } from './middleware/request-context.ts';
import { authenticateBearer, authorize } from './middleware/auth.ts';
import { rateLimit } from './middleware/rate-limit.ts';
import { parseJsonBody, validateRequest } from './middleware/validate.ts';
import { idempotency } from './middleware/idempotency.ts';
import { loadContract, type Contract } from './contract.ts';
import { handlers as defaultHandlers } from './routes/index.ts';
import { systemRouter } from './routes/system.ts';
import type { HandlerMap } from './routes/types.ts';
import type { AppDeps } from './deps.ts';
import type { AppState } from './state.ts';

export interface BuiltApp { app: Koa<AppState>; router: Router<AppState>; contract: Contract }

export function buildApp(deps: AppDeps, handlers: HandlerMap = defaultHandlers, contract = loadContract()): BuiltApp {
  const app = new Koa<AppState>();
  app.proxy = true;
  app.silent = true;
  app.use(requestContext(deps.orm, deps.logger));
  app.use(errorEnvelope());

  const router = new Router<AppState>();
  const authn = authenticateBearer(deps.config.cursorSecret);
  const limiter = rateLimit(deps.config.defaultRateLimitPerSecond);
  const parser = parseJsonBody(deps.config.bodyLimitBytes);
  for (const [operationId, handler] of Object.entries(handlers)) {
    const op = contract.byId.get(operationId);
    if (!op) throw new Error(`Handler "${operationId}" has no operation in the contract.`);
    router[op.method](operationId, op.koaPath,
      async (ctx, next) => { ctx.state.operation = op; await next(); },
      authn, authorize(op), limiter, parser, validateRequest(op),
      ...(op.idempotent ? [idempotency(op)] : []),
      (ctx) => handler(ctx as never, deps));
  }

  const system = systemRouter(deps, contract);
  app.use(system.routes());
  app.use(router.routes());
  app.use(router.allowedMethods({ throw: false }));
  return { app, router, contract };
}
