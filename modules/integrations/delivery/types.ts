// Shapes shared by the deliverWebhook workflow, its activities and the code that starts it
// (types and constants only: the workflow bundle imports nothing else from here).

export const DELIVER_WEBHOOK = 'deliverWebhook';
export const deliveryWorkflowId = (deliveryId: string) => `webhook-delivery-${deliveryId}`;

export interface DeliverWebhookInput {
  workspaceId: string;
  deliveryId: string;
  /** For the EventType search attribute. */
  eventType: string;
  /** Attempts made before this run (an operator's retry of a failed delivery): the retry schedule starts over after them. */
  attemptsBefore?: number;
}

/** What one attempt came to, as the attempt activity reports it. */
export type AttemptOutcome =
  | { state: 'succeeded'; attempt: number }
  | { state: 'failed'; attempt: number; retryAfterMs: number | null; endpointDisabled: boolean }
  /** 410 Gone: the endpoint was disabled and the delivery failed. */
  | { state: 'gone'; attempt: number }
  /** The endpoint is paused: the delivery is held until it is resumed (a new run then sends it). */
  | { state: 'held' }
  /** Nothing to send: the delivery is already final, or its endpoint disabled. */
  | { state: 'abandoned'; reason: string };

/** After a failed attempt: how long until the next one (from now), or null when the delivery has failed for good. */
export interface RetryPlan { workspaceId: string; deliveryId: string; retryInMs: number | null }

export interface DeliveryRunResult { state: 'succeeded' | 'failed' | 'held' | 'abandoned'; attempts: number }
