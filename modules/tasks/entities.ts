import { defineEntity, type InferEntity } from '@mikro-orm/postgresql';
import type { Schema } from '../../api/operations.ts';

export type RelatedResourceType = Schema<'RelatedResourceType'>;

export const TASK_STATUSES = ['open', 'completed', 'canceled'] as const;
export type TaskStatus = typeof TASK_STATUSES[number];

export const TaskSchema = defineEntity({
  name: 'Task',
  tableName: 'tasks',
  properties: (p) => ({
    id: p.text().primary(),
    workspace_id: p.text(),
    title: p.text(),
    description: p.text().nullable(),
    status: p.enum([...TASK_STATUSES]),
    assignee_id: p.text().nullable(),
    /** A calendar date, `YYYY-MM-DD`. */
    due_date: p.date().nullable(),
    related_resource_type: p.text().$type<RelatedResourceType>().nullable(),
    related_resource_id: p.text().nullable(),
    /** Set while the task is completed; reopening or canceling clears it. */
    completed_at: p.datetime().nullable(),
    completed_note: p.text().nullable(),
    created_at: p.datetime().onCreate(() => new Date()),
    updated_at: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  }),
});
export type Task = InferEntity<typeof TaskSchema>;

