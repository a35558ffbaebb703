// Webhook endpoints: their rules (known event types, status changes, secret rotation) and the
// events they record. URL checks need DNS and run before the transaction (urlProblem in targets.ts).
import { LockMode, type FilterQuery } from '@mikro-orm/postgresql';
import { sql } from '../../../platform/db.ts';
import { notFound, validationFailed } from '../../../platform/errors.ts';
import { newId } from '../../../platform/ids.ts';
import type { TenantContext } from '../../../kernel/tenant.ts';
import { recordEvent } from '../../../kernel/outbox.ts';
import { containsPattern, findPage, type Page, type PageRequest } from '../../../kernel/pagination.ts';
import type { CatalogEntry } from '../catalog/builtins.ts';
import { unknownEventTypes } from '../catalog/event-types.ts';
import { INTEGRATION_IDS } from '../ids.ts';
import { WebhookEndpointSchema, type EndpointStatus, type WebhookEndpoint } from '../entities.ts';
import { serializeEndpoint } from '../serializers.ts';
import { newSigningSecret, ROTATION_OVERLAP_MS } from './secrets.ts';

export interface NewEndpoint { name: string; url: string; description?: string; status?: 'active' | 'paused'; event_types: string[] }

/** A partial update: an absent key keeps the value, null clears the description. */
export interface EndpointPatch {
  name?: string;
  url?: string;
  description?: string | null;
  status?: EndpointStatus;
  event_types?: string[];
  rotate_secret?: boolean;
}

const recordEndpointEvent = (ctx: TenantContext, type: string, endpoint: WebhookEndpoint, extra: Record<string, unknown> = {}) =>
  recordEvent(ctx, { type, resource_type: 'webhook_endpoint', resource_id: endpoint.id, payload: { ...serializeEndpoint(endpoint), ...extra } });

async function assertKnownEventTypes(ctx: TenantContext, builtins: readonly CatalogEntry[], keys: readonly string[]): Promise<void> {
  const problems = await unknownEventTypes(ctx, builtins, keys);
  if (problems.length) throw validationFailed(problems);
}

/** Creates the endpoint with a new signing secret (the caller shows it once). */
export async function createEndpoint(ctx: TenantContext, builtins: readonly CatalogEntry[], input: NewEndpoint): Promise<WebhookEndpoint> {
  await assertKnownEventTypes(ctx, builtins, input.event_types);
  const now = new Date();
  const endpoint = ctx.em.create(WebhookEndpointSchema, {
    id: newId(INTEGRATION_IDS.webhookEndpoint),
    workspace_id: ctx.workspaceId,
    name: input.name,
    url: input.url,
    description: input.description ?? null,
    event_types: input.event_types,
    status: input.status ?? 'active',
    signing_secret: newSigningSecret(),
    previous_secret: null,
    previous_secret_expires_at: null,
    failing_since: null,
    disabled_reason: null,
    release_held: false,
    created_at: now,
    updated_at: now,
  });
  ctx.em.persist(endpoint);
  recordEndpointEvent(ctx, 'webhook.endpoint.created', endpoint);
  await ctx.em.flush();
  return endpoint;
}

export async function lockEndpoint(ctx: TenantContext, id: string, mode: LockMode = LockMode.PESSIMISTIC_WRITE): Promise<WebhookEndpoint> {
  const endpoint = await ctx.em.findOne(WebhookEndpointSchema, { id, workspace_id: ctx.workspaceId }, { lockMode: mode });
  if (!endpoint) throw notFound('webhook endpoint', id);
  return endpoint;
}

export interface UpdatedEndpoint { endpoint: WebhookEndpoint; newSecret: string | null }

/**
 * Applies a patch under the endpoint's row lock (the relay and the attempts take it shared, so a
 * status change never crosses a fan-out or an attempt). Pausing holds deliveries, resuming asks
 * the relay to send the held ones, disabling fails them; re-enabling starts a fresh failure count.
 */
export async function updateEndpoint(ctx: TenantContext, builtins: readonly CatalogEntry[], id: string, patch: EndpointPatch): Promise<UpdatedEndpoint> {
  const endpoint = await lockEndpoint(ctx, id);
  if (patch.event_types) await assertKnownEventTypes(ctx, builtins, patch.event_types);
  const changes: Partial<WebhookEndpoint> = {};
  for (const key of ['name', 'url', 'description'] as const) {
    if (patch[key] !== undefined && patch[key] !== endpoint[key]) (changes as Record<string, unknown>)[key] = patch[key];
  }
  if (patch.event_types && !sameList(patch.event_types, endpoint.event_types)) changes.event_types = patch.event_types;
  const was = endpoint.status;
  if (patch.status !== undefined && patch.status !== was) {
    changes.status = patch.status;
    if (was === 'disabled') Object.assign(changes, { failing_since: null, disabled_reason: null });
    if (was === 'paused' && patch.status === 'active') changes.release_held = true;
    if (patch.status === 'disabled') changes.release_held = false;
  }
  let newSecret: string | null = null;
  if (patch.rotate_secret) {
    newSecret = newSigningSecret();
    Object.assign(changes, {
      signing_secret: newSecret,
      previous_secret: endpoint.signing_secret,
      previous_secret_expires_at: new Date(Date.now() + ROTATION_OVERLAP_MS),
    });
  }
  if (!Object.keys(changes).length) return { endpoint, newSecret };
  ctx.em.assign(endpoint, changes);
  endpoint.updated_at = new Date();
  if (changes.status === 'disabled') await failHeldDeliveries(ctx, endpoint.id, 'the endpoint was disabled');
  const changedFields: string[] = [...PUBLIC_FIELDS.filter((f) => f in changes), ...(newSecret ? ['signing_secret'] : [])];
  recordEndpointEvent(ctx, 'webhook.endpoint.updated', endpoint, { changed_fields: changedFields });
  await ctx.em.flush();
  return { endpoint, newSecret };
}

/** What changed_fields may name (the rest is bookkeeping). */
const PUBLIC_FIELDS = ['name', 'url', 'description', 'event_types', 'status'] as const;

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Held deliveries of an endpoint that will not receive them fail, naming why. */
async function failHeldDeliveries(ctx: TenantContext, endpointId: string, reason: string): Promise<void> {
  await sql(ctx.em, `update webhook_deliveries set status = 'failed', last_error = ?, held_at = null, next_attempt_at = null, completed_at = now(), updated_at = now()
    where workspace_id = ? and webhook_id = ? and held_at is not null`, [reason, ctx.workspaceId, endpointId]);
}

/**
 * The platform disables a failing endpoint (410 Gone, or 5 days of failures): its held deliveries
 * fail and `webhook.endpoint.disabled` is recorded. Answers false when it was disabled already.
 */
export async function disableEndpoint(ctx: TenantContext, id: string, reason: string): Promise<boolean> {
  const endpoint = await lockEndpoint(ctx, id);
  if (endpoint.status === 'disabled') return false;
  ctx.em.assign(endpoint, { status: 'disabled', disabled_reason: reason, release_held: false, updated_at: new Date() });
  await failHeldDeliveries(ctx, id, `the endpoint was disabled: ${reason}`);
  recordEndpointEvent(ctx, 'webhook.endpoint.disabled', endpoint, { reason });
  await ctx.em.flush();
  return true;
}

export interface EndpointFilters extends PageRequest { query?: string; status?: EndpointStatus; event_type?: string }

/** Newest first; `event_type` matches endpoints subscribed to it, `*` included. */
export function listEndpoints(ctx: TenantContext, filters: EndpointFilters): Promise<Page<WebhookEndpoint>> {
  const where: FilterQuery<WebhookEndpoint> = {};
  if (filters.status) where.status = filters.status;
  if (filters.event_type) where.event_types = { $overlap: [filters.event_type, '*'] };
  if (filters.query) {
    const pattern = containsPattern(filters.query);
    where.$or = [{ name: { $ilike: pattern } }, { url: { $ilike: pattern } }];
  }
  return findPage(ctx, WebhookEndpointSchema, 'webhook_endpoints', where, filters);
}
