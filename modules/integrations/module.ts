// Integrations: the event catalog (built-in types from every manifest, plus custom ones), webhook
// endpoints, and their deliveries: the relay (a poller in the worker) fans the outbox out into
// deliveries, each sent by a deliverWebhook workflow with retries.
import { defineModule } from '../manifest.ts';
import {
  IntegrationEventTypeSchema, WebhookDeliverySchema, WebhookEndpointSchema,
} from './entities.ts';
import { INTEGRATION_IDS } from './ids.ts';
import { integrationOperations } from './operations.ts';
import { createDeliveryActivities } from './delivery/activities.ts';
import { relayWebhooks } from './deliveries/relay.ts';
import { retryDelivery } from './deliveries/retry.ts';
import { Migration20261202040001_integrations } from './migrations/Migration20261202040001_integrations.ts';

const endpointSchema = 'WebhookEndpoint';

export const integrationsModule = defineModule({
  name: 'integrations',
  entities: [IntegrationEventTypeSchema, WebhookEndpointSchema, WebhookDeliverySchema],
  migrations: [{ name: 'Migration20261202040001_integrations', class: Migration20261202040001_integrations }],
  // What BI may read (its catalog): never signing secrets or delivered bodies.
  biTables: [
    { table: 'webhook_endpoints', description: 'Webhook endpoints with their status.', columns: ['id', 'name', 'url', 'description', 'status', 'failing_since', 'disabled_reason', 'created_at', 'updated_at'] },
    {
      table: 'webhook_deliveries', description: 'Webhook deliveries: event type, status, attempts and last response status.',
      columns: ['id', 'webhook_id', 'event_id', 'event_type', 'status', 'attempt_count', 'last_attempt_at', 'next_attempt_at', 'response_status', 'completed_at', 'created_at'],
      // Deliveries change without outbox events: their snapshots refresh on the TTL.
      events: [],
    },
  ],
  operations: integrationOperations,
  ids: INTEGRATION_IDS,
  workflows: ['deliverWebhook'],
  retries: [{
    workflowType: 'deliverWebhook', resourceDecides: true, retry: retryDelivery,
    description: 'sends a failed delivery again (the same message and webhook-id) with a new run of attempts on the full retry schedule; the endpoint must be active; a succeeded delivery is refused',
  }],
  activities: (deps) => createDeliveryActivities(deps),
  // A short poll keeps the first attempt within a second of the commit.
  pollers: [{ name: 'webhook-relay', intervalMs: 200, poll: relayWebhooks }],
  events: [
    { type: 'integration_event_type.created', schema: 'IntegrationEventType', description: 'A custom event type was registered.' },
    { type: 'webhook.endpoint.created', schema: endpointSchema, description: 'A webhook endpoint was created.' },
    { type: 'webhook.endpoint.updated', schema: endpointSchema, description: 'A webhook endpoint changed (paused, resumed, new URL, subscriptions or secret); the payload adds changed_fields.' },
    { type: 'webhook.endpoint.disabled', schema: endpointSchema, description: 'The platform disabled a webhook endpoint (it answered 410 Gone, or failed every attempt for 5 days); the payload adds reason.' },
    {
      type: 'webhook.test',
      description: 'A test event, sent by sendTestWebhookEvent to the endpoint it names whatever its subscriptions (never recorded in the outbox).',
      schema: { type: 'object', required: ['webhook_id', 'message'], properties: { webhook_id: { type: 'string' }, message: { type: 'string' } } },
    },
  ],
});
