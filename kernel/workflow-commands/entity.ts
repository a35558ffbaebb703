import { defineEntity, type InferEntity } from '@mikro-orm/postgresql';

export const WORKFLOW_REUSE = ['reject_duplicate', 'allow_duplicate', 'allow_duplicate_failed_only'] as const;
export type WorkflowReuse = typeof WORKFLOW_REUSE[number];

/**
 * A workflow to start, committed with the row it is about. The API starts it right after the
 * commit; the worker's relay starts any the API did not (a crash, Temporal unreachable).
 */
export const WorkflowCommandSchema = defineEntity({
  name: 'WorkflowCommand',
  tableName: 'workflow_commands',
  properties: (p) => ({
    id: p.text().primary(),
    workspace_id: p.text(),
    workflow_type: p.text(),
    workflow_id: p.text(),
    resource_id: p.text(),
    args: p.json<unknown[]>(),
    /** Starts of this workflow id whose memo carries the same key are the same work (a join, not a conflict). */
    dedup_key: p.text(),
    reuse: p.enum([...WORKFLOW_REUSE]),
    /** A signal to start with: a running workflow of this id gets it instead of a new run starting. */
    signal: p.text().nullable(),
    request_id: p.text().nullable(),
    created_at: p.datetime().onCreate(() => new Date()),
    next_attempt_at: p.datetime(),
    attempts: p.integer().default(0),
    last_error: p.text().nullable(),
    dispatched_at: p.datetime().nullable(),
    run_id: p.text().nullable(),
    /** Set when the command can never start (its workflow id is taken for good); an operator looks. */
    abandoned_at: p.datetime().nullable(),
  }),
});
export type WorkflowCommand = InferEntity<typeof WorkflowCommandSchema>;
