// Builds the Koa app (no listen): the request context and error envelope around the system
// routes and every module's operations, mounted from the contract.
import Koa from 'koa';
import type Router from '@koa/router';
import { errorEnvelope } from '../api/middleware/errors.ts';
import { methodRouting } from '../api/middleware/methods.ts';
import { requestContext } from '../api/middleware/request-context.ts';
import { requestTracing } from '../api/middleware/tracing.ts';
import { tracingEnabled } from '../platform/tracing.ts';
import { loadContract, type Contract } from '../api/contract.ts';
import { operationsRouter } from '../api/router.ts';
import { createInvoker, type Invoke } from '../api/invoke.ts';
import { mcpHttpHandler } from '../api/mcp/http.ts';
import { systemRouter } from '../api/system-routes.ts';
import type { OperationHandlers } from '../api/operations.ts';
import type { AppDeps } from '../api/deps.ts';
import type { AppState } from '../api/state.ts';
import { registry } from './modules.ts';
import { checkReadiness } from './readiness.ts';

export interface BuiltApp { app: Koa<AppState>; router: Router<AppState>; contract: Contract; invoke: Invoke; close: () => Promise<void> }

export function buildApp(deps: AppDeps, handlers: OperationHandlers = registry.operations, contract = loadContract()): BuiltApp {
  const app = new Koa<AppState>();
  app.proxy = true;
  app.silent = true;
  app.use(requestContext(deps.orm, deps.logger));
  if (tracingEnabled()) app.use(requestTracing());
  app.use(errorEnvelope());
  const invoke = createInvoker(deps, contract, handlers);
  const system = systemRouter(contract, () => checkReadiness(deps));
  const mcp = mcpHttpHandler({ orm: deps.orm, logger: deps.logger, contract, invoke, operations: Object.keys(handlers) });
  system.all('/mcp', (ctx) => mcp.handle(ctx));
  for (const page of registry.pages) {
    system.get(page.path, async (ctx) => {
      const { status, html } = await page.render(deps, { params: ctx.params as Record<string, string>, query: ctx.query });
      ctx.status = status;
      ctx.type = 'text/html; charset=utf-8';
      // Pages are whole documents: no script, nothing loaded from elsewhere.
      ctx.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:");
      ctx.set('Cache-Control', 'private, no-store');
      ctx.body = html;
    });
  }
  const router = operationsRouter(contract, invoke, Object.keys(handlers), deps.config.bodyLimitBytes);
  app.use(methodRouting([system, router]));
  app.use(system.routes());
  app.use(router.routes());
  return { app, router, contract, invoke, close: () => mcp.close() };
}
