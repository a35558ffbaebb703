// Shapes and names shared by the SLA workflow, its activity and the ticket writes (types and
// constants only, so the workflow bundle imports nothing else from the module).

export const SLA_WORKFLOW_TYPE = 'supportTicketSla';
/** "The ticket's SLA inputs changed: read them again." It carries nothing: the database is the truth. */
export const SLA_CHANGED_SIGNAL = 'slaChanged';
/** The longest the workflow sleeps between two reads: a lost signal delays a breach by at most this. */
export const SLA_RECHECK_MS = 60 * 60_000;
/** Reads per run before it continues as new (keeps the history short for tickets open for weeks). */
export const SLA_READS_PER_RUN = 500;

export const slaWorkflowId = (ticketId: string) => `support-sla-${ticketId}`;

export type SlaTarget = 'first_response' | 'resolution';

export interface SlaWorkflowInput {
  workspaceId: string;
  ticketId: string;
  /** Reads before the run continues as new (default SLA_READS_PER_RUN; tests shorten it). */
  readsPerRun?: number;
}

/** `now` is the workflow's clock (ms): time is the workflow's, also in the time-skipping test server. */
export interface SlaCheckInput { workspaceId: string; ticketId: string; now: number }

export interface SlaCheck {
  /** Nothing left to watch (resolved, closed, no target running, or no such ticket): the run ends. */
  done: boolean;
  /** The next due time (ms) of a running clock; null while the clock is stopped. */
  nextDeadline: number | null;
  /** Targets this read found missed and marked. */
  breached: SlaTarget[];
}

/** What the workflow answers to the `slaProgress` query (operators, tests). */
export interface SlaProgress { reads: number; sleepingUntil: number | null; breaches: SlaTarget[] }
