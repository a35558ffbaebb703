// One server span per request when tracing is on (mounted only then): a caller's W3C
// traceparent is continued, the request id is set on it and on every span below it (the workflow
// start, SQL), and its name and status are set once the operation is known.
import { context, propagation, trace, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { Middleware } from 'koa';
import { REQUEST_ID_KEY } from '../../platform/tracing.ts';
import type { AppState } from '../state.ts';

export function requestTracing(): Middleware<AppState> {
  const tracer = trace.getTracer('slab5-api');
  return async (ctx, next) => {
    const parent = propagation.extract(context.active(), ctx.headers).setValue(REQUEST_ID_KEY, ctx.state.requestId);
    await tracer.startActiveSpan(ctx.method, { kind: SpanKind.SERVER, attributes: { 'http.request.method': ctx.method, 'url.path': ctx.path } }, parent, async (span) => {
      try {
        await next();
      } finally {
        const operation = ctx.state.operation?.operationId;
        span.updateName(`${ctx.method} ${operation ?? (ctx._matchedRoute ? String(ctx._matchedRoute) : 'unmatched')}`);
        if (operation) span.setAttribute('slab5.operation', operation);
        if (ctx.state.workspaceId) span.setAttribute('slab5.workspace_id', ctx.state.workspaceId);
        span.setAttribute('http.response.status_code', ctx.status);
        if (ctx.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
      }
    });
  };
}
