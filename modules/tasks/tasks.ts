import { LockMode, type FilterQuery } from '@mikro-orm/postgresql';
import { notFound, validationFailed } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { TASK_IDS } from './ids.ts';
import type { TenantContext } from '../../kernel/tenant.ts';
import { insertCreated, recordEvent } from '../../kernel/outbox.ts';
import { findPage, type Page, type PageRequest } from '../../kernel/pagination.ts';
import { assertRelatedResource } from '../../kernel/related-resources.ts';
import { TaskSchema, type Task, type TaskStatus, type RelatedResourceType } from './entities.ts';
import { serializeTask } from './serializers.ts';

export interface NewTask {
  title: string;
  description?: string;
  assignee_id?: string;
  due_date?: string;
  related_resource_type?: RelatedResourceType;
  related_resource_id?: string;
}

/** A partial update: an absent key keeps the value, null clears a nullable one. */
export interface TaskPatch {
  title?: string;
  description?: string | null;
  status?: TaskStatus;
  assignee_id?: string | null;
  due_date?: string | null;
  completed_note?: string | null;
  related_resource_type?: RelatedResourceType | null;
  related_resource_id?: string | null;
}

export async function createTask(ctx: TenantContext, input: NewTask): Promise<Task> {
  if (input.related_resource_type && input.related_resource_id) {
    await assertRelatedResource(ctx, input.related_resource_type, input.related_resource_id);
  }
  const now = new Date();
  const task = ctx.em.create(TaskSchema, {
    id: newId(TASK_IDS.task),
    workspace_id: ctx.workspaceId,
    title: input.title,
    description: input.description ?? null,
    status: 'open',
    assignee_id: input.assignee_id ?? null,
    due_date: input.due_date ?? null,
    related_resource_type: input.related_resource_type ?? null,
    related_resource_id: input.related_resource_id ?? null,
    completed_at: null,
    completed_note: null,
    created_at: now,
    updated_at: now,
  });
  return insertCreated(ctx, 'task', task, serializeTask(task));
}

/**
 * Applies a patch under a row lock, so concurrent updates see each other's status. Emits
 * `task.updated` when anything changed, and `task.completed` too when the task became completed.
 */
export async function updateTask(ctx: TenantContext, id: string, patch: TaskPatch): Promise<Task> {
  const task = await ctx.em.findOne(TaskSchema, { id, workspace_id: ctx.workspaceId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!task) throw notFound('task', id);
  const wasCompleted = task.status === 'completed';
  const changes: Partial<Task> = {};
  for (const key of ['title', 'description', 'assignee_id', 'due_date', 'completed_note'] as const) {
    if (patch[key] !== undefined) (changes as Record<string, unknown>)[key] = patch[key];
  }
  if (patch.related_resource_type !== undefined || patch.related_resource_id !== undefined) {
    Object.assign(changes, await resolveRelated(ctx, patch.related_resource_type ?? null, patch.related_resource_id ?? null));
  }
  if (patch.status !== undefined) {
    changes.status = patch.status;
    // Completing stamps the moment once; any other status means "not completed".
    if (patch.status !== 'completed') changes.completed_at = null;
    else if (!wasCompleted) changes.completed_at = new Date();
  }
  const changed = (Object.keys(changes) as (keyof Task)[]).filter((k) => !sameValue(task[k], changes[k]));
  if (!changed.length) return task;
  ctx.em.assign(task, changes);
  task.updated_at = new Date();
  const payload = serializeTask(task);
  recordEvent(ctx, { type: 'task.updated', resource_type: 'task', resource_id: task.id, payload });
  if (!wasCompleted && task.status === 'completed') {
    recordEvent(ctx, { type: 'task.completed', resource_type: 'task', resource_id: task.id, payload });
  }
  await ctx.em.flush();
  return task;
}

/** Type and id come together (the schema's dependentRequired): both null unlink, both set must exist. */
async function resolveRelated(ctx: TenantContext, type: string | null, id: string | null) {
  if ((type === null) !== (id === null)) {
    throw validationFailed([{ field: type === null ? 'related_resource_type' : 'related_resource_id', problem: 'must be null exactly when the other related_resource field is null' }]);
  }
  if (type !== null && id !== null) await assertRelatedResource(ctx, type, id);
  return { related_resource_type: type, related_resource_id: id };
}

const sameValue = (a: unknown, b: unknown) =>
  a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : a === b;

export interface TaskFilters extends PageRequest { status?: TaskStatus; assignee_id?: string }

/** Soonest due date first, undated tasks last, then oldest first. */
export function listTasks(ctx: TenantContext, filters: TaskFilters): Promise<Page<Task>> {
  const where: FilterQuery<Task> = {};
  if (filters.status) where.status = filters.status;
  if (filters.assignee_id) where.assignee_id = filters.assignee_id;
  return findPage(ctx, TaskSchema, 'tasks', where, filters, { field: 'due_date', direction: 'asc' });
}
