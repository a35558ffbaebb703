import type { HandlerMap } from './types.ts';

export const accountingHandlers: HandlerMap = {};
