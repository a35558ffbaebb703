// Every failure leaves as the contract's error envelope. Client mistakes map to 4xx with a code
// that names them; anything unexpected is logged and answers 500 without internals.
import type { Middleware } from 'koa';
import { ApiError } from '../../platform/errors.ts';
import { isDatabaseUnavailable } from '../../platform/db.ts';
import type { AppState } from '../state.ts';

export function errorEnvelope(): Middleware<AppState> {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        throw new ApiError(404, 'route_not_found', `No operation is served at ${ctx.method} ${ctx.path}.`);
      }
    } catch (err) {
      const error = toApiError(err);
      // An outage is logged by its cause alone: the driver's message embeds the failed query with
      // its values inlined (the token lookup's hash among them).
      if (error.code === 'service_unavailable') ctx.state.log?.warn({ db_unavailable: dbCause(err) }, 'database unavailable');
      else if (error.status >= 500) ctx.state.log?.error({ err }, 'unhandled error');
      else if (error.details && typeof error.details === 'object' && 'sqlstate' in error.details) {
        ctx.state.log?.error({ err }, 'defect: a value reached the database that validation should have refused');
      }
      ctx.status = error.status;
      for (const [k, v] of Object.entries(error.headers)) ctx.set(k, v);
      ctx.body = { error: { code: error.code, message: error.message, details: error.details }, request_id: ctx.state.requestId };
    }
  };
}

/** The driver's reason without the query MikroORM prefixes to it (`<query> - <reason>`). */
const dbCause = (err: unknown) => {
  const e = err as { code?: unknown; name?: string; message?: string };
  return { code: typeof e?.code === 'string' ? e.code : e?.name, reason: (e?.message ?? '').split(' - ').at(-1)?.slice(0, 200) };
};

export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const e = err as { status?: number; type?: string; message?: string; expose?: boolean; code?: unknown; column?: string };
  // Last line of defence: PostgreSQL refused a value (SQLSTATE class 22, data exception). Input
  // validation should have caught it; the client still hears a 422, and the defect is logged.
  if (typeof e?.code === 'string' && /^22[0-9A-Z]{3}$/.test(e.code)) {
    return new ApiError(422, 'validation_failed', `A value could not be stored: ${(e.message ?? '').replace(/^.* - /, '')}.`,
      { fields: [{ field: e.column ?? '(input)', problem: 'holds a value the database cannot store' }], sqlstate: e.code });
  }
  // PostgreSQL is down or restarting: a retryable 503 that says so, not a 500.
  if (isDatabaseUnavailable(err)) {
    return new ApiError(503, 'service_unavailable', 'The database is unavailable right now; retry shortly.', null, { 'Retry-After': '1' });
  }
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
