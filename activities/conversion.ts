import type { ActivityDeps } from './index.ts';

export function createConversionActivities(_deps: ActivityDeps) {
  return {};
}

export type ConversionActivities = ReturnType<typeof createConversionActivities>;
