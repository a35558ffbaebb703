// The database side of one attempt: begin (under the delivery's row lock and a shared lock on its
// endpoint, so a pause or disable either precedes the attempt or waits for it to begin), then
// record the HTTP result and what it means for the delivery and the endpoint.
import { sql } from '../../../platform/db.ts';
import { notFound } from '../../../platform/errors.ts';
import type { TenantContext } from '../../../kernel/tenant.ts';
import { disableEndpoint } from '../endpoints/endpoints.ts';
import type { HttpResult } from './http.ts';
import { failingTooLong } from './schedule.ts';
import type { AttemptOutcome } from './types.ts';

export type AttemptPlan =
  | { kind: 'send'; attempt: number; url: string; body: string; messageId: string; secrets: string[] }
  | { kind: 'held' }
  | { kind: 'final'; reason: string };

interface PlanRow {
  status: string; attempt_count: number; body: string; message_id: string;
  endpoint_status: string; url: string; signing_secret: string; previous_secret: string | null; previous_live: boolean;
}

export async function beginAttempt(ctx: TenantContext, deliveryId: string): Promise<AttemptPlan> {
  const [row] = await sql<PlanRow[]>(ctx.em,
    `select d.status, d.attempt_count, d.body, d.message_id, e.status as endpoint_status, e.url, e.signing_secret, e.previous_secret,
            coalesce(e.previous_secret_expires_at > now(), false) as previous_live
     from webhook_deliveries d join webhook_endpoints e on e.id = d.webhook_id
     where d.id = ? and d.workspace_id = ? for update of d for share of e`, [deliveryId, ctx.workspaceId]);
  if (!row) throw notFound('webhook delivery', deliveryId);
  if (row.status === 'succeeded' || row.status === 'failed') return { kind: 'final', reason: `the delivery has ${row.status}` };
  if (row.endpoint_status === 'disabled') {
    await sql(ctx.em, `update webhook_deliveries set status = 'failed', last_error = 'the endpoint is disabled', held_at = null, next_attempt_at = null,
      completed_at = now(), updated_at = now() where id = ?`, [deliveryId]);
    return { kind: 'final', reason: 'the endpoint is disabled' };
  }
  if (row.endpoint_status === 'paused') {
    await sql(ctx.em, 'update webhook_deliveries set held_at = now(), next_attempt_at = null, updated_at = now() where id = ?', [deliveryId]);
    return { kind: 'held' };
  }
  const attempt = row.attempt_count + 1;
  await sql(ctx.em, `update webhook_deliveries set attempt_count = ?, last_attempt_at = now(), next_attempt_at = null, held_at = null, updated_at = now()
    where id = ?`, [attempt, deliveryId]);
  await sql(ctx.em, 'insert into webhook_attempts (delivery_id, attempt, workspace_id, started_at) values (?, ?, ?, now())',
    [deliveryId, attempt, ctx.workspaceId]);
  const secrets = row.previous_secret && row.previous_live ? [row.signing_secret, row.previous_secret] : [row.signing_secret];
  return { kind: 'send', attempt, url: row.url, body: row.body, messageId: row.message_id, secrets };
}

const isSuccess = (status: number | null) => status !== null && status >= 200 && status < 300;

export async function recordAttempt(ctx: TenantContext, deliveryId: string, attempt: number, result: HttpResult): Promise<AttemptOutcome> {
  await sql(ctx.em, `update webhook_attempts set duration_ms = ?, response_status = ?, response_excerpt = ?, error = ?
    where delivery_id = ? and attempt = ?`, [result.durationMs, result.status, result.excerpt, result.error, deliveryId, attempt]);
  const [delivery] = await sql<{ webhook_id: string }[]>(ctx.em,
    `update webhook_deliveries set response_status = ?, last_error = ?, updated_at = now(),
       status = case when ? then 'succeeded' when ? then 'failed' else 'retrying' end,
       completed_at = case when ? or ? then now() end
     where id = ? and workspace_id = ? returning webhook_id`,
    [result.status, result.error, isSuccess(result.status), result.status === 410, isSuccess(result.status), result.status === 410, deliveryId, ctx.workspaceId]);
  if (!delivery) throw notFound('webhook delivery', deliveryId);

  if (isSuccess(result.status)) {
    await sql(ctx.em, 'update webhook_endpoints set failing_since = null where id = ? and failing_since is not null', [delivery.webhook_id]);
    return { state: 'succeeded', attempt };
  }
  if (result.status === 410) {
    await disableEndpoint(ctx, delivery.webhook_id, 'it answered 410 Gone');
    return { state: 'gone', attempt };
  }
  const [endpoint] = await sql<{ failing_since: Date; now: Date; status: string }[]>(ctx.em,
    `update webhook_endpoints set failing_since = coalesce(failing_since, now()) where id = ? returning failing_since, now() as now, status`,
    [delivery.webhook_id]);
  if (endpoint && endpoint.status !== 'disabled' && failingTooLong(new Date(endpoint.failing_since), new Date(endpoint.now))) {
    await disableEndpoint(ctx, delivery.webhook_id, 'every delivery attempt failed for 5 days');
  }
  const endpointDisabled = !endpoint || endpoint.status === 'disabled' || failingTooLong(new Date(endpoint.failing_since), new Date(endpoint.now));
  return { state: 'failed', attempt, retryAfterMs: result.retryAfterMs, endpointDisabled };
}

/** After a failed attempt: the next one in retryInMs, or the delivery failed for good (null). */
export async function scheduleRetry(ctx: TenantContext, deliveryId: string, retryInMs: number | null): Promise<void> {
  if (retryInMs !== null) {
    await sql(ctx.em, `update webhook_deliveries set next_attempt_at = now() + ? * interval '1 millisecond', updated_at = now()
      where id = ? and workspace_id = ? and status = 'retrying'`, [retryInMs, deliveryId, ctx.workspaceId]);
  } else {
    await sql(ctx.em, `update webhook_deliveries set status = 'failed', next_attempt_at = null, completed_at = now(), updated_at = now()
      where id = ? and workspace_id = ? and status = 'retrying'`, [deliveryId, ctx.workspaceId]);
  }
}
