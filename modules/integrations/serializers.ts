// The contract's WebhookEndpoint and WebhookDelivery, from their rows. Secrets never leave here
// except through the create and rotate answers, which add them explicitly.
import type { Schema } from '../../api/operations.ts';
import { nulled } from '../../kernel/serialize.ts';
import type { WebhookAttempt, WebhookDelivery, WebhookEndpoint } from './entities.ts';
import { secretPreview } from './endpoints/secrets.ts';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export const serializeEndpoint = (e: WebhookEndpoint, now = new Date()): Schema<'WebhookEndpoint'> => nulled({
  id: e.id,
  name: e.name,
  url: e.url,
  description: e.description,
  event_types: e.event_types,
  status: e.status,
  signing_secret_preview: secretPreview(e.signing_secret),
  // A rotated-out secret that no longer signs is not worth mentioning.
  previous_secret_expires_at: e.previous_secret_expires_at && e.previous_secret_expires_at > now ? e.previous_secret_expires_at.toISOString() : null,
  disabled_reason: e.disabled_reason,
  created_at: e.created_at.toISOString(),
  updated_at: e.updated_at.toISOString(),
});

export const serializeAttempt = (a: WebhookAttempt): Schema<'WebhookDeliveryAttempt'> => ({
  attempt: a.attempt,
  started_at: a.started_at.toISOString(),
  duration_ms: a.duration_ms,
  response_status: a.response_status,
  response_excerpt: a.response_excerpt,
  error: a.error,
});

export const serializeDelivery = (d: WebhookDelivery, attempts: readonly WebhookAttempt[]): Schema<'WebhookDelivery'> => nulled({
  id: d.id,
  webhook_id: d.webhook_id,
  event_id: d.event_id,
  event_type: d.event_type,
  status: d.status,
  attempt_count: d.attempt_count,
  last_attempt_at: iso(d.last_attempt_at),
  next_attempt_at: iso(d.next_attempt_at),
  response_status: d.response_status,
  last_error: d.last_error,
  completed_at: iso(d.completed_at),
  created_at: d.created_at.toISOString(),
  updated_at: d.updated_at.toISOString(),
  attempts: attempts.map(serializeAttempt),
});
