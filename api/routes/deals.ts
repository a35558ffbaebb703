import type { HandlerMap } from './types.ts';

export const dealHandlers: HandlerMap = {};
