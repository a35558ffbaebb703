import { defineModule } from '../manifest.ts';
import { TaskSchema } from './entities.ts';
import { TASK_IDS } from './ids.ts';
import { taskOperations } from './operations.ts';
import { Migration20261128000005_tasks_activities } from './migrations/Migration20261128000005_tasks_activities.ts';

export const tasksModule = defineModule({
  name: 'tasks',
  entities: [TaskSchema],
  // This migration predates modules: it also created the activity log's table.
  migrations: [{ name: 'Migration20261128000005_tasks_activities', class: Migration20261128000005_tasks_activities }],
  operations: taskOperations,
  ids: TASK_IDS,
  relatedResources: { task: 'tasks' },
  biTables: [{
    table: 'tasks', description: 'Tasks: status, assignee, due date and the resource they relate to.',
    columns: ['id', 'title', 'description', 'status', 'assignee_id', 'due_date', 'related_resource_type', 'related_resource_id', 'completed_at', 'completed_note', 'created_at', 'updated_at'],
  }],
  events: [
    { type: 'task.created', schema: 'Task', description: 'A task was created.' },
    { type: 'task.updated', schema: 'Task', description: 'A task changed.' },
    { type: 'task.completed', schema: 'Task', description: 'A task was completed.' },
  ],
});
