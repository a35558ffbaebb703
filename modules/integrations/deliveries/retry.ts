// An operator's retry of a failed delivery (`slab5 workflow retry webhook-delivery-<whd_id>`): the
// deliverWebhook workflow completes once the delivery has failed for good, so the row says whether
// there is anything to retry. Under the delivery's lock (and its endpoint's, shared, as an attempt
// takes them) it goes back to `pending` with the command of a new run, whose retry schedule starts
// over after the attempts already made. The receiver gets the same message (webhook-id) again.
import { LockMode } from '@mikro-orm/postgresql';
import { sql } from '../../../platform/db.ts';
import { notFound, ruleViolation } from '../../../platform/errors.ts';
import { withEm, type TenantContext } from '../../../kernel/tenant.ts';
import type { WorkflowRunner } from '../../../kernel/workflow-commands/runner.ts';
import { runEndedUnsettled, type RetryRun } from '../../manifest.ts';
import { lockEndpoint } from '../endpoints/endpoints.ts';
import { deliveryWorkflowId } from '../delivery/types.ts';
import { enqueueDelivery } from './deliveries.ts';
import { inTransaction } from '../../../platform/transaction.ts';

const PREFIX = deliveryWorkflowId('');

interface DeliveryRow { id: string; webhook_id: string; event_type: string; status: string; attempt_count: number; held_at: Date | null; next_attempt_at: Date | null }

export async function retryDelivery(ctx: TenantContext, workflows: WorkflowRunner, run: RetryRun): Promise<{ workflowId: string; runId: string | null }> {
  if (!run.workflowId.startsWith(PREFIX)) throw new Error(`${run.workflowId} is not a delivery's workflow id (${PREFIX}<delivery id>).`);
  const deliveryId = run.workflowId.slice(PREFIX.length);
  const commandId = await inTransaction(ctx.em, async (em) => {
    const tx = withEm(ctx, em);
    const [delivery] = await sql<DeliveryRow[]>(em,
      `select id, webhook_id, event_type, status, attempt_count, held_at, next_attempt_at from webhook_deliveries
       where id = ? and workspace_id = ? for update`, [deliveryId, ctx.workspaceId]);
    if (!delivery) throw notFound('webhook delivery', deliveryId);
    const stranded = (delivery.status === 'pending' || delivery.status === 'retrying') && !delivery.held_at && runEndedUnsettled(run);
    if (delivery.status !== 'failed' && !stranded) throw ruleViolation('delivery_id', refusal(delivery, run));
    const endpoint = await lockEndpoint(tx, delivery.webhook_id, LockMode.PESSIMISTIC_READ);
    if (endpoint.status !== 'active') {
      throw ruleViolation('webhook_id', `Webhook endpoint ${endpoint.id} is ${endpoint.status}${endpoint.disabled_reason ? ` (${endpoint.disabled_reason})` : ''}: set its status to active (updateWebhookEndpoint) before retrying its deliveries.`);
    }
    await sql(em, `update webhook_deliveries set status = 'pending', next_attempt_at = now(), completed_at = null, updated_at = now() where id = ?`, [deliveryId]);
    // Two retries of the same run are one: the second joins the run the first started.
    const id = enqueueDelivery(tx, delivery, { attemptsBefore: delivery.attempt_count, dedupKey: `retry-of-${run.runId}` });
    await em.flush();
    return id;
  });
  const runId = (await workflows.dispatch([commandId])).get(commandId) ?? null;
  return { workflowId: run.workflowId, runId };
}

function refusal(d: DeliveryRow, run: RetryRun): string {
  if (d.status === 'succeeded') return `Delivery ${d.id} succeeded (after ${d.attempt_count} attempt${d.attempt_count === 1 ? '' : 's'}): there is nothing to retry.`;
  if (d.held_at) return `Delivery ${d.id} is held while its endpoint is paused: resuming the endpoint sends it.`;
  const next = d.next_attempt_at ? `, next attempt at ${new Date(d.next_attempt_at).toISOString()}` : '';
  return `Delivery ${d.id} is ${d.status} (run ${run.status}${next}): only a failed delivery is retried.`;
}
