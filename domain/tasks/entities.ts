import { EntitySchema } from '@mikro-orm/postgresql';

export const TASK_STATUSES = ['open', 'completed', 'canceled'] as const;
export type TaskStatus = typeof TASK_STATUSES[number];

export interface Task {
  id: string;
  workspace_id: string;
  title: string;
  description: string | null;
  status: TaskStatus;
  assignee_id: string | null;
  /** A calendar date, `YYYY-MM-DD`. */
  due_date: string | null;
  related_resource_type: string | null;
  related_resource_id: string | null;
  /** Set while the task is completed; reopening or canceling clears it. */
  completed_at: Date | null;
  completed_note: string | null;
  created_at: Date;
  updated_at: Date;
}

export const TaskSchema = new EntitySchema<Task>({
  name: 'Task',
  tableName: 'tasks',
  properties: {
    id: { type: 'text', primary: true },
    workspace_id: { type: 'text' },
    title: { type: 'text' },
    description: { type: 'text', nullable: true },
    status: { type: 'text' },
    assignee_id: { type: 'text', nullable: true },
    due_date: { type: 'date', nullable: true },
    related_resource_type: { type: 'text', nullable: true },
    related_resource_id: { type: 'text', nullable: true },
    completed_at: { type: 'Date', nullable: true },
    completed_note: { type: 'text', nullable: true },
    created_at: { type: 'Date', onCreate: () => new Date() },
    updated_at: { type: 'Date', onCreate: () => new Date(), onUpdate: () => new Date() },
  },
});

export const taskEntities: EntitySchema<any>[] = [TaskSchema];
