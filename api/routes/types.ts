import type { Context } from 'koa';
import type { AppState } from '../state.ts';
import type { AppDeps } from '../deps.ts';

export type ApiContext = Context & { state: AppState; params: Record<string, string> };
export type Handler = (ctx: ApiContext, deps: AppDeps) => Promise<void>;
/** Handlers by operationId: app.ts mounts each at its contract path and method. */
export type HandlerMap = Record<string, Handler>;
