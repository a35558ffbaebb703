import type { HandlerMap } from './types.ts';

export const taskHandlers: HandlerMap = {};
