// Parses and validates a request against its operation in the contract: 415 for a body that is
// not JSON, 400 for malformed JSON, 413 past the size limit, 422 naming each offending field.
import type { Middleware } from 'koa';
import { koaBody } from 'koa-body';
import { ApiError, validationFailed, type FieldProblem } from '../../platform/errors.ts';
import type { Operation } from '../contract.ts';
import type { AppState } from '../state.ts';

export function parseJsonBody(limitBytes: number): Middleware<AppState> {
  const parser = koaBody({
    json: true, jsonStrict: true, multipart: false, urlencoded: false, text: false,
    jsonLimit: limitBytes, parsedMethods: ['POST' as never, 'PATCH' as never, 'PUT' as never, 'DELETE' as never],
    onError: (err) => { throw err; },
  });
  return async (ctx, next) => {
    const op = ctx.state.operation!;
    const hasBody = Boolean(ctx.request.length) || ctx.get('Transfer-Encoding') !== '';
    if (hasBody && op.hasBody && !ctx.is('application/json', '+json')) {
      throw new ApiError(415, 'unsupported_media_type', `Send the request body as application/json (got "${ctx.get('Content-Type') || 'no Content-Type'}").`);
    }
    if (hasBody && op.hasBody) await parser(ctx as never, async () => {});
    await next();
  };
}

export function validateRequest(op: Operation): Middleware<AppState> {
  return async (ctx, next) => {
    const { value, problems } = op.validateParams({ query: ctx.query as Record<string, unknown>, path: ctx.params ?? {} });
    let body: unknown = undefined;
    if (op.hasBody) {
      body = ctx.request.body;
      const empty = body === undefined || (typeof body === 'object' && body !== null && !Array.isArray(body) && Object.keys(body).length === 0 && !ctx.request.length);
      if (empty) {
        if (op.bodyRequired) problems.push({ field: '(body)', problem: 'is required: send a JSON object' });
        body = op.bodyRequired ? undefined : {};
      } else if (op.validateBody) {
        problems.push(...op.validateBody(body));
      }
    } else if (ctx.request.length) {
      problems.push({ field: '(body)', problem: 'is not accepted by this operation' });
    }
    problems.push(...nulProblems(value.query, '').concat(nulProblems(value.path, ''), nulProblems(body, '')));
    if (problems.length) throw validationFailed(problems);
    ctx.state.input = { query: value.query, path: value.path, body };
    await next();
  };
}

/**
 * PostgreSQL text and jsonb cannot hold U+0000: a NUL anywhere in the input (keys included) is a
 * client error named by its field, never a failed insert.
 */
export function nulProblems(value: unknown, path: string): FieldProblem[] {
  const here = path || '(body)';
  if (typeof value === 'string') return value.includes('\u0000') ? [{ field: here, problem: 'must not contain NUL (\\u0000) characters' }] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => nulProblems(v, `${path}${path ? '.' : ''}${i}`));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => {
      const field = `${path}${path ? '.' : ''}${k}`;
      return k.includes('\u0000') ? [{ field: here, problem: 'has a key containing a NUL (\\u0000) character' }] : nulProblems(v, field);
    });
  }
  return [];
}
