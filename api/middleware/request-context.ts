// Request id on every response (header and body) and every log line; a forked EntityManager per
// request; one access-log line and one metrics observation per request.
import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from '../../platform/logger.ts';
import type { AppState } from '../state.ts';
import { observeRequest } from '../metrics.ts';

const INCOMING_ID = /^[A-Za-z0-9._\-]{8,100}$/;

export function requestContext(orm: MikroORM, logger: Logger): Middleware<AppState> {
  return async (ctx, next) => {
    const incoming = ctx.get('X-Request-Id');
    // Callers may propagate their own id (gateways do); otherwise we mint one (randomUUID draws
    // from a cached entropy pool: cheaper per request than randomBytes).
    const requestId = INCOMING_ID.test(incoming) ? incoming : `req_${randomUUID().replaceAll('-', '').slice(0, 24)}`;
    ctx.state.requestId = requestId;
    ctx.state.log = logger.child({ request_id: requestId });
    ctx.state.em = orm.em.fork();
    ctx.set('X-Request-Id', requestId);
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const operation = ctx.state.operation?.operationId;
      // Labels stay bounded: an operationId, a system route's pattern, or "unmatched".
      observeRequest(operation ?? (ctx._matchedRoute ? String(ctx._matchedRoute) : 'unmatched'), ctx.status, ms / 1000);
      ctx.state.log.info({
        method: ctx.method, path: ctx.path, status: ctx.status,
        operation, workspace_id: ctx.state.workspaceId, duration_ms: ms,
      }, 'request');
    }
  };
}
