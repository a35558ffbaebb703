export const ACTIVITY_LOG_IDS = { activity: 'act' } as const;
