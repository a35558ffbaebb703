// The contract's Task, from its row.
import type { Schema } from '../../api/operations.ts';
import { nulled } from '../../kernel/serialize.ts';
import type { Task } from './entities.ts';

export const serializeTask = (t: Task): Schema<'Task'> => nulled({
  id: t.id,
  title: t.title,
  description: t.description,
  status: t.status,
  assignee_id: t.assignee_id,
  due_date: t.due_date,
  related_resource_type: t.related_resource_type,
  related_resource_id: t.related_resource_id,
  completed_at: t.completed_at ? t.completed_at.toISOString() : null,
  completed_note: t.completed_note,
  created_at: t.created_at.toISOString(),
  updated_at: t.updated_at.toISOString(),
});
