// Bearer token → workspace and scopes, then the operation's scope and module checks.
import type { Middleware } from 'koa';
import { ApiError } from '../../platform/errors.ts';
import { authenticate } from '../../kernel/tenancy/workspaces.ts';
import type { AppDeps } from '../deps.ts';
import type { Operation } from '../contract.ts';
import type { AppState } from '../state.ts';

const unauthorized = (message: string) =>
  new ApiError(401, 'unauthorized', message, null, { 'WWW-Authenticate': 'Bearer realm="slab5"' });

export function authenticateBearer(deps: Pick<AppDeps, 'config' | 'resources'>): Middleware<AppState> {
  return async (ctx, next) => {
    const header = ctx.get('Authorization');
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw unauthorized(header ? 'The Authorization header must be "Bearer <token>".' : 'A valid bearer token is required.');
    const found = await authenticate(ctx.state.em, match[1]!);
    if (!found) throw unauthorized('The bearer token is not valid or has been revoked.');
    if (!found.workspace) throw new ApiError(404, 'not_found', 'The workspace could not be found for this token.');
    ctx.state.token = found.token;
    ctx.state.workspace = found.workspace;
    ctx.state.tenant = {
      em: ctx.state.em, workspaceId: found.workspace.id, requestId: ctx.state.requestId,
      cursorSecret: deps.config.cursorSecret, resources: deps.resources, enqueued: [],
    };
    await next();
  };
}

export function authorize(op: Operation): Middleware<AppState> {
  return async (ctx, next) => {
    const held = ctx.state.token!.scopes;
    if (op.scopes.length && !op.scopes.some((s) => held.includes(s))) {
      throw new ApiError(403, 'insufficient_scope',
        `The token does not include the scope required for this operation (${op.scopes.length > 1 ? 'any of ' : ''}${op.scopes.join(', ')}).`,
        { required_scopes: op.scopes });
    }
    if (op.module && !ctx.state.workspace!.enabled_modules.includes(op.module)) {
      throw new ApiError(403, 'module_not_enabled', `The "${op.module}" module is not enabled for this workspace.`, { module: op.module });
    }
    await next();
  };
}
