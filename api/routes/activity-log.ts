import type { HandlerMap } from './types.ts';

export const activityHandlers: HandlerMap = {};
