// Every failure leaves as the contract's error envelope. Client mistakes map to 4xx with a code
// that names them; anything unexpected is logged and answers 500 without internals.
import type { Middleware } from 'koa';
import { ApiError } from '../../platform/errors.ts';
import type { AppState } from '../state.ts';

export function errorEnvelope(): Middleware<AppState> {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        throw new ApiError(404, 'route_not_found', `No operation is served at ${ctx.method} ${ctx.path}.`);
      }
      // The router answers 405 (known method) or 501 (unknown method, e.g. TRACE) on a path it
      // serves with other methods; both are the client's mistake and name what is allowed.
      if ((ctx.status === 405 || ctx.status === 501) && !ctx.body) {
        const allow = ctx.response.get('Allow');
        throw new ApiError(405, 'method_not_allowed', `${ctx.method} is not allowed on ${ctx.path}${allow ? `; allowed: ${allow}` : ''}.`,
          { allowed_methods: allow ? allow.split(', ') : [] }, allow ? { Allow: allow } : {});
      }
    } catch (err) {
      const error = toApiError(err);
      if (error.status >= 500) ctx.state.log?.error({ err }, 'unhandled error');
      ctx.status = error.status;
      for (const [k, v] of Object.entries(error.headers)) ctx.set(k, v);
      ctx.body = { error: { code: error.code, message: error.message, details: error.details }, request_id: ctx.state.requestId };
    }
  };
}

export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const e = err as { status?: number; type?: string; message?: string; expose?: boolean };
  if (e?.type === 'entity.too.large' || e?.status === 413) {
    return new ApiError(413, 'payload_too_large', 'The request body is larger than this API accepts.', null);
  }
  if (e?.type === 'entity.parse.failed' || (e?.status === 400 && /JSON|Unexpected|parse/i.test(e.message ?? ''))) {
    return new ApiError(400, 'malformed_json', `The request body is not valid JSON: ${e.message ?? 'parse error'}.`);
  }
  if (e?.type === 'encoding.unsupported' || e?.status === 415) {
    return new ApiError(415, 'unsupported_media_type', e.message ?? 'Unsupported request encoding.');
  }
  return new ApiError(500, 'internal_error', 'Something went wrong on our side; the request id identifies it for support.');
}
