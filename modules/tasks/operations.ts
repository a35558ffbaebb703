import { list, write, type OperationHandlers } from '../../api/operations.ts';
import { createTask, listTasks, updateTask } from './tasks.ts';
import { serializeTask } from './serializers.ts';

export const taskOperations = {
  listTasks: list(({ tenant, query }) => listTasks(tenant, query), serializeTask),
  createTask: write(201, ({ tenant, body }) => createTask(tenant, body), serializeTask),
  updateTask: write(200, ({ tenant, path, body }) => updateTask(tenant, path.task_id, body), serializeTask),
} satisfies OperationHandlers;
