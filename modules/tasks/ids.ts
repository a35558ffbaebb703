export const TASK_IDS = { task: 'task' } as const;
