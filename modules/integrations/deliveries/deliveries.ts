// Deliveries as the API shows them (with their attempts), and the test delivery.
import { LockMode, type FilterQuery } from '@mikro-orm/postgresql';
import { sql } from '../../../platform/db.ts';
import { ruleViolation } from '../../../platform/errors.ts';
import { newId } from '../../../platform/ids.ts';
import type { TenantContext } from '../../../kernel/tenant.ts';
import { findPage, type Page, type PageRequest } from '../../../kernel/pagination.ts';
import { enqueueWorkflow } from '../../../kernel/workflow-commands/enqueue.ts';
import { INTEGRATION_IDS } from '../ids.ts';
import { WebhookDeliverySchema, type DeliveryStatus, type WebhookAttempt, type WebhookDelivery } from '../entities.ts';
import { lockEndpoint } from '../endpoints/endpoints.ts';
import { DELIVER_WEBHOOK, deliveryWorkflowId, type DeliverWebhookInput } from '../delivery/types.ts';

export interface DeliveryFilters extends PageRequest { event_type?: string; status?: DeliveryStatus }

export interface DeliveryView { delivery: WebhookDelivery; attempts: WebhookAttempt[] }

/** One endpoint's deliveries, newest first (ids sort by creation), each with its attempts. */
export async function listDeliveries(ctx: TenantContext, webhookId: string, filters: DeliveryFilters): Promise<Page<DeliveryView>> {
  await lockEndpoint(ctx, webhookId, LockMode.NONE);
  const where: FilterQuery<WebhookDelivery> = { webhook_id: webhookId };
  if (filters.event_type) where.event_type = filters.event_type;
  if (filters.status) where.status = filters.status;
  const page = await findPage(ctx, WebhookDeliverySchema, `webhook_deliveries:${webhookId}`, where, filters);
  const attempts = await attemptsOf(ctx, page.items.map((d) => d.id));
  return { items: page.items.map((delivery) => ({ delivery, attempts: attempts.get(delivery.id) ?? [] })), next_cursor: page.next_cursor };
}

async function attemptsOf(ctx: TenantContext, deliveryIds: readonly string[]): Promise<Map<string, WebhookAttempt[]>> {
  const byDelivery = new Map<string, WebhookAttempt[]>();
  if (!deliveryIds.length) return byDelivery;
  const rows = await sql<WebhookAttempt[]>(ctx.em,
    `select delivery_id, attempt, started_at, duration_ms, response_status, response_excerpt, error from webhook_attempts
     where workspace_id = ? and delivery_id in (select jsonb_array_elements_text(?::jsonb)) order by delivery_id, attempt`,
    [ctx.workspaceId, JSON.stringify(deliveryIds)]);
  for (const row of rows) {
    const list = byDelivery.get(row.delivery_id) ?? [];
    list.push({ ...row, started_at: new Date(row.started_at) });
    byDelivery.set(row.delivery_id, list);
  }
  return byDelivery;
}

/**
 * The workflow command that sends a delivery (a new run when an earlier one ended holding it, or
 * an operator retries it: `attemptsBefore` then restarts the schedule, `dedupKey` joins a retry of
 * the same run).
 */
export function enqueueDelivery(ctx: TenantContext, delivery: { id: string; webhook_id: string; event_type: string }, retry?: { attemptsBefore: number; dedupKey: string }): string {
  const input: DeliverWebhookInput = { workspaceId: ctx.workspaceId, deliveryId: delivery.id, eventType: delivery.event_type };
  if (retry) input.attemptsBefore = retry.attemptsBefore;
  return enqueueWorkflow(ctx, {
    workflowType: DELIVER_WEBHOOK,
    workflowId: deliveryWorkflowId(delivery.id),
    resourceId: delivery.webhook_id,
    args: [input],
    reuse: 'allow_duplicate',
    dedupKey: retry?.dedupKey,
  });
}

export const TEST_EVENT_TYPE = 'webhook.test';

/**
 * Queues a `webhook.test` delivery to the endpoint, whatever its subscriptions. A disabled endpoint
 * refuses it (422); a paused one holds it until it is resumed, like every other delivery.
 */
export async function queueTestDelivery(ctx: TenantContext, webhookId: string): Promise<DeliveryView> {
  const endpoint = await lockEndpoint(ctx, webhookId, LockMode.PESSIMISTIC_READ);
  if (endpoint.status === 'disabled') {
    throw ruleViolation('webhook_id', `Webhook endpoint ${webhookId} is disabled${endpoint.disabled_reason ? ` (${endpoint.disabled_reason})` : ''}: set its status to active to send to it again.`);
  }
  const now = new Date();
  const id = newId(INTEGRATION_IDS.webhookDelivery);
  const body = JSON.stringify({
    id, type: TEST_EVENT_TYPE, created_at: now.toISOString(), workspace_id: ctx.workspaceId,
    data: { webhook_id: webhookId, message: 'A test event from Slab5: your endpoint receives and verifies webhooks.' },
  });
  const held = endpoint.status === 'paused';
  const delivery = ctx.em.create(WebhookDeliverySchema, {
    id, workspace_id: ctx.workspaceId, webhook_id: webhookId, event_id: null, event_type: TEST_EVENT_TYPE, message_id: id, body,
    status: 'pending', attempt_count: 0, last_attempt_at: null, next_attempt_at: held ? null : now, response_status: null,
    last_error: null, held_at: held ? now : null, completed_at: null, created_at: now, updated_at: now,
  });
  ctx.em.persist(delivery);
  if (!held) enqueueDelivery(ctx, delivery);
  await ctx.em.flush();
  return { delivery, attempts: [] };
}
