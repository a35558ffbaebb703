// The one way an operation asks for long-running work: the command row commits in the same
// transaction as the change it is about, so no workflow ever runs for a row that was not
// committed, and no committed row ever misses its workflow (the relay starts what the API could
// not). Workflow ids are deterministic, so a start that happens twice finds the first.
import { newId } from '../../platform/ids.ts';
import { KERNEL_IDS } from '../ids.ts';
import type { TenantContext } from '../tenant.ts';
import { WorkflowCommandSchema, type WorkflowReuse } from './entity.ts';

export interface WorkflowCommandSpec {
  /** The command's id, when the caller needs it in the args (see newWorkflowCommandId). */
  id?: string;
  workflowType: string;
  workflowId: string;
  /** The resource the workflow is about: its ResourceId search attribute. */
  resourceId: string;
  args: unknown[];
  /** What a start does when a closed run of this id exists (default: refuse, the run was the one). */
  reuse?: WorkflowReuse;
  /**
   * Another command that resumes the same work passes that work's key (default: this command's
   * id): finding a run of the workflow id with this key, running or closed, counts as started.
   */
  dedupKey?: string;
  /**
   * Signal-with-start: when a workflow of this id is running, it gets this signal (no argument)
   * instead of a new run starting; otherwise a new run starts and gets it first. For work whose
   * input the workflow re-reads from the database (a moved schedule wakes the one waiting run).
   */
  signal?: string;
}

export const newWorkflowCommandId = () => newId(KERNEL_IDS.workflowCommand);

/** How long the relay leaves a fresh command to the API's own dispatch after the commit. */
export const RELAY_GRACE_MS = 3_000;

/** Records the command in the caller's unit of work; returns its id (the API dispatches it after the commit). */
export function enqueueWorkflow(ctx: TenantContext, spec: WorkflowCommandSpec): string {
  const now = new Date();
  const id = spec.id ?? newWorkflowCommandId();
  const command = ctx.em.create(WorkflowCommandSchema, {
    id,
    workspace_id: ctx.workspaceId,
    workflow_type: spec.workflowType,
    workflow_id: spec.workflowId,
    resource_id: spec.resourceId,
    args: spec.args,
    dedup_key: spec.dedupKey ?? id,
    reuse: spec.reuse ?? 'reject_duplicate',
    signal: spec.signal ?? null,
    request_id: ctx.requestId,
    created_at: now,
    next_attempt_at: new Date(now.getTime() + RELAY_GRACE_MS),
    attempts: 0,
    last_error: null,
    dispatched_at: null,
    run_id: null,
    abandoned_at: null,
  });
  ctx.em.persist(command);
  ctx.enqueued.push(command.id);
  return command.id;
}
