import { defineEntity, type InferEntity } from '@mikro-orm/postgresql';

/** A workspace's own event type (the built-in ones come from the manifests, not this table). */
export const IntegrationEventTypeSchema = defineEntity({
  name: 'IntegrationEventType',
  tableName: 'integration_event_types',
  properties: (p) => ({
    id: p.text().primary(),
    workspace_id: p.text(),
    key: p.text(),
    category: p.text(),
    description: p.text().nullable(),
    payload_schema: p.json<Record<string, unknown>>().nullable(),
    created_at: p.datetime().onCreate(() => new Date()),
  }),
});
export type IntegrationEventType = InferEntity<typeof IntegrationEventTypeSchema>;

export const ENDPOINT_STATUSES = ['active', 'paused', 'disabled'] as const;
export type EndpointStatus = typeof ENDPOINT_STATUSES[number];

export const WebhookEndpointSchema = defineEntity({
  name: 'WebhookEndpoint',
  tableName: 'webhook_endpoints',
  properties: (p) => ({
    id: p.text().primary(),
    workspace_id: p.text(),
    name: p.text(),
    url: p.text(),
    description: p.text().nullable(),
    event_types: p.array().$type<string[]>(),
    status: p.enum([...ENDPOINT_STATUSES]),
    signing_secret: p.text(),
    /** The secret before the last rotation, still signing until previous_secret_expires_at. */
    previous_secret: p.text().nullable(),
    previous_secret_expires_at: p.datetime().nullable(),
    failing_since: p.datetime().nullable(),
    disabled_reason: p.text().nullable(),
    /** Resumed with deliveries held: the relay sends them, then clears this. */
    release_held: p.boolean().default(false),
    created_at: p.datetime().onCreate(() => new Date()),
    updated_at: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  }),
});
export type WebhookEndpoint = InferEntity<typeof WebhookEndpointSchema>;

export const DELIVERY_STATUSES = ['pending', 'retrying', 'succeeded', 'failed'] as const;
export type DeliveryStatus = typeof DELIVERY_STATUSES[number];

export const WebhookDeliverySchema = defineEntity({
  name: 'WebhookDelivery',
  tableName: 'webhook_deliveries',
  properties: (p) => ({
    id: p.text().primary(),
    workspace_id: p.text(),
    webhook_id: p.text(),
    event_id: p.text().nullable(),
    event_type: p.text(),
    message_id: p.text(),
    /** The exact bytes sent; lists never need it. */
    body: p.text().lazy(),
    status: p.enum([...DELIVERY_STATUSES]),
    attempt_count: p.integer().default(0),
    last_attempt_at: p.datetime().nullable(),
    next_attempt_at: p.datetime().nullable(),
    response_status: p.integer().nullable(),
    last_error: p.text().nullable(),
    held_at: p.datetime().nullable(),
    completed_at: p.datetime().nullable(),
    created_at: p.datetime().onCreate(() => new Date()),
    updated_at: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  }),
});
export type WebhookDelivery = InferEntity<typeof WebhookDeliverySchema>;

/** One HTTP attempt of a delivery (numbered from 1), recorded whatever its outcome. */
export interface WebhookAttempt {
  delivery_id: string;
  attempt: number;
  started_at: Date;
  duration_ms: number | null;
  response_status: number | null;
  response_excerpt: string | null;
  error: string | null;
}
