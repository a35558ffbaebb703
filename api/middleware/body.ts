// Reads a JSON request body. Every way reading can fail is the client's: 415 for a body that is
// not JSON or an unknown Content-Encoding, 413 past the size limit, 400 for malformed JSON, a
// prototype key, a corrupt gzip/deflate/brotli stream, or nesting past MAX_JSON_DEPTH. The depth
// is measured by one iterative pass before any recursive code (validation, hashing, the outbox)
// sees the value.
import type { Middleware } from 'koa';
import { koaBody } from 'koa-body';
import { ApiError } from '../../platform/errors.ts';
import type { AppState } from '../state.ts';

/** Deepest nesting of objects and arrays a body may have (the contract's deepest is far less). */
export const MAX_JSON_DEPTH = 32;

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
    if (hasBody && op.hasBody) {
      try {
        await parser(ctx as never, async () => {});
      } catch (err) {
        throw bodyReadError(err);
      }
      assertShallowEnough(ctx.request.body);
    }
    await next();
  };
}

/** Maps what the body parser, the decompressor and raw-body throw to the contract's errors. */
export function bodyReadError(err: unknown): ApiError {
  const e = err as { status?: number; type?: string; code?: string; message?: string };
  if (e.type === 'entity.too.large' || e.status === 413) {
    return new ApiError(413, 'payload_too_large', 'The request body is larger than this API accepts.', null);
  }
  if (e.status === 415 || e.type === 'encoding.unsupported' || e.type === 'charset.unsupported') {
    return new ApiError(415, 'unsupported_media_type', `${e.message ?? 'Unsupported request encoding'}. Send JSON as identity, gzip, deflate or br.`);
  }
  if (typeof e.code === 'string' && (e.code.startsWith('Z_') || e.code.startsWith('ERR__ERROR') || e.code === 'ERR_BROTLI_DECOMPRESSION_FAILED')) {
    return new ApiError(400, 'malformed_body_encoding', `The request body could not be decompressed as its Content-Encoding says (${e.message ?? e.code}).`);
  }
  if (/prototype/i.test(e.message ?? '')) {
    return forbiddenKey('__proto__');
  }
  if (e.type === 'request.size.invalid' || e.type === 'request.aborted') {
    return new ApiError(400, 'malformed_body', `The request body was incomplete: ${e.message ?? e.type}.`);
  }
  return new ApiError(400, 'malformed_json', `The request body is not valid JSON: ${e.message ?? 'parse error'}.`);
}

const forbiddenKey = (key: string) =>
  new ApiError(400, 'forbidden_json_key', `The request body uses the key "${key}", which is refused (prototype pollution).`, { key });

/** One iterative pass: nesting depth and the prototype keys a parser lets through. */
export function assertShallowEnough(value: unknown): void {
  const stack: Array<{ node: unknown; depth: number; parentKey: string | null }> = [{ node: value, depth: 0, parentKey: null }];
  while (stack.length) {
    const { node, depth, parentKey } = stack.pop()!;
    if (!node || typeof node !== 'object') continue;
    if (depth >= MAX_JSON_DEPTH) {
      throw new ApiError(400, 'json_too_deep', `The request body nests objects and arrays deeper than ${MAX_JSON_DEPTH} levels.`, { max_depth: MAX_JSON_DEPTH });
    }
    if (Array.isArray(node)) {
      for (const item of node) stack.push({ node: item, depth: depth + 1, parentKey: null });
      continue;
    }
    for (const key of Object.keys(node)) {
      if (key === '__proto__' || (parentKey === 'constructor' && key === 'prototype')) throw forbiddenKey(parentKey ? `${parentKey}.${key}` : key);
      stack.push({ node: (node as Record<string, unknown>)[key], depth: depth + 1, parentKey: key });
    }
  }
}
