import { serializeWorkspace } from '../../domain/workspace/service.ts';
import { respond } from '../write.ts';
import type { HandlerMap } from './types.ts';

export const workspaceHandlers: HandlerMap = {
  getWorkspace: async (ctx) => respond(ctx, serializeWorkspace(ctx.state.workspace!)),
};
