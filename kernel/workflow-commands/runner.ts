// What domain code may ask of the workflow engine, without knowing it is Temporal: start the
// commands a committed unit of work enqueued, wait a bounded time for a run's outcome, and tell a
// running workflow something happened.

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
  /**
   * Sends a signal without arguments to the open run of the workflow id; best effort and bounded in
   * time, it never throws: false when no run is open or the engine did not take it. A signal is a
   * hint, not a command: what it says must also reach the workflow another way (the workflow re-
   * reads the database on its own).
   */
  signal: (workflowId: string, signalName: string) => Promise<boolean>;
}
