// REST: mounts every implemented operation at its contract path and method. A route admits the
// caller (token, scope, module, rate limit) before it reads the body, then reads the request into
// a Call for the invoker (api/invoke.ts) and writes the reply in the envelope.
import Router from '@koa/router';
import type { Context } from 'koa';
import type { Contract } from './contract.ts';
import type { AppState } from './state.ts';
import type { Admitted, Caller, Invoke } from './invoke.ts';
import { bearerToken } from './middleware/auth.ts';
import { parseJsonBody } from './middleware/body.ts';
import { byConcreteness } from './middleware/methods.ts';

type RouteState = AppState & { admitted?: Admitted; caller?: Caller };

export function operationsRouter(contract: Contract, invoke: Invoke, operationIds: string[], bodyLimitBytes: number): Router<AppState> {
  const router = new Router<RouteState>();
  const parser = parseJsonBody(bodyLimitBytes);
  const ops = operationIds.map((operationId) => {
    const op = contract.byId.get(operationId);
    if (!op) throw new Error(`Handler "${operationId}" has no operation in the contract.`);
    return op;
  });
  // The router runs the first route that matches: a concrete template before a templated one
  // that overlaps it (/cms/entries/search before /cms/entries/{entry_id}), as OpenAPI matches.
  for (const op of ops.sort((a, b) => byConcreteness(a.koaPath, b.koaPath))) {
    const operationId = op.operationId;
    router[op.method](operationId, op.koaPath,
      async (ctx, next) => {
        ctx.state.operation = op;
        const caller = callerOf(ctx, operationId);
        ctx.state.caller = caller;
        ctx.state.admitted = await invoke.admit(caller);
        ctx.state.workspaceId = ctx.state.admitted.principal.workspace.id;
        await next();
      },
      parser as never,
      async (ctx) => {
        const reply = await invoke.run(ctx.state.admitted!, {
          ...ctx.state.caller!,
          query: ctx.query as Record<string, unknown>, path: ctx.params ?? {},
          body: ctx.request.body, bodySent: Boolean(ctx.request.length) || ctx.get('Transfer-Encoding') !== '',
          idempotencyKey: ctx.request.headers['idempotency-key'] !== undefined ? ctx.get('Idempotency-Key') : undefined,
        });
        ctx.status = reply.status;
        ctx.body = { ...reply.body, request_id: ctx.state.requestId };
      });
  }
  return router as unknown as Router<AppState>;
}

function callerOf(ctx: Context & { state: AppState }, operationId: string): Caller {
  return {
    operationId, token: bearerToken(ctx.get('Authorization')),
    requestId: ctx.state.requestId, log: ctx.state.log, em: ctx.state.em, channel: { kind: 'rest' },
    setHeader: (name, value) => ctx.set(name, value),
  };
}
