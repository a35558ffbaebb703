import type { HandlerMap } from './types.ts';

export const leadHandlers: HandlerMap = {};
