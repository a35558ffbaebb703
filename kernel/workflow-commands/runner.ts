// What domain code may ask of the workflow engine, without knowing it is Temporal: start the
// commands a committed unit of work enqueued, and wait a bounded time for a run's outcome.

/** A run's failure as the workflow reported it: `type` is its ApplicationFailure type. */
export interface WorkflowFailure { type: string | null; message: string; details: unknown[] }

export type WorkflowOutcome<T> =
  | { state: 'completed'; result: T }
  | { state: 'failed'; failure: WorkflowFailure }
  | { state: 'running' };

export interface WorkflowRunner {
  /**
   * Starts the commands' workflows (best effort: what fails is left to the relay). Answers the run
   * id of each command whose workflow now runs or ran.
   */
  dispatch: (commandIds: readonly string[]) => Promise<Map<string, string>>;
  /** The outcome of the run (or the latest run of the id) if it ends within waitMs, else running. */
  awaitOutcome: <T>(run: { workflowId: string; runId?: string | null }, waitMs: number) => Promise<WorkflowOutcome<T>>;
}
