// The webhook relay, a poller of the worker process. One pass claims a batch of unpublished
// outbox events (FOR UPDATE SKIP LOCKED: relays in several workers take disjoint batches) and, in
// the same transaction, creates one delivery per event and subscribed endpoint of its workspace
// (with the workflow command that sends it; held when the endpoint is paused) and marks the
// events published. A crash before the commit leaves the events to the next pass; after it, the
// commands are started by this pass or by the command relay. The delivery id is derived from the
// event and endpoint ids and unique per pair, so no event reaches an endpoint twice.
// The pass also releases the deliveries held by endpoints resumed since.
import { sql, type EntityManager } from '../../../platform/db.ts';
import { systemTenant } from '../../../kernel/tenant.ts';
import type { PollerDeps } from '../../manifest.ts';
import { INTEGRATION_IDS } from '../ids.ts';
import { enqueueDelivery } from './deliveries.ts';
import { inTransaction } from '../../../platform/transaction.ts';

const EVENT_BATCH = 200;
const RELEASE_BATCH = 200;
/** Workflow starts in flight at once after a pass commits. */
const DISPATCH_LANES = 16;

interface EventRow { id: string; workspace_id: string; type: string; payload: Record<string, unknown>; occurred_at: Date; request_id: string | null }
interface EndpointRow { id: string; workspace_id: string; event_types: string[]; status: 'active' | 'paused' }

/** `whd_<event ulid>_<endpoint ulid>`: deterministic per pair, and sorted by the event's time. */
export const deliveryIdFor = (eventId: string, endpointId: string) =>
  `${INTEGRATION_IDS.webhookDelivery}_${eventId.slice(eventId.indexOf('_') + 1)}_${endpointId.slice(endpointId.indexOf('_') + 1)}`;

/** The body every attempt sends (and signs), fixed once. */
export const eventBody = (e: EventRow) =>
  JSON.stringify({ id: e.id, type: e.type, created_at: new Date(e.occurred_at).toISOString(), workspace_id: e.workspace_id, data: e.payload });

const subscribed = (endpoint: EndpointRow, type: string) => endpoint.event_types.includes('*') || endpoint.event_types.includes(type);

/** One relay pass: answers how many events and held deliveries it handled (0: nothing to do). */
export async function relayWebhooks(deps: PollerDeps): Promise<number> {
  const fanned = await inTransaction(deps.orm.em.fork(), (tx) => fanOutEvents(tx));
  const released = await inTransaction(deps.orm.em.fork(), (tx) => releaseHeld(tx));
  await dispatch(deps, [...fanned.commands, ...released.commands]);
  return fanned.handled + released.handled;
}

/** Claims a batch of events and fans it out, in the caller's transaction. */
export async function fanOutEvents(tx: EntityManager): Promise<{ handled: number; commands: string[] }> {
  const events = await sql<EventRow[]>(tx,
    `select id, workspace_id, type, payload, occurred_at, request_id from outbox_events where published_at is null
     order by occurred_at, id limit ? for update skip locked`, [EVENT_BATCH]);
  if (!events.length) return { handled: 0, commands: [] };
  const workspaceIds = [...new Set(events.map((e) => e.workspace_id))];
  // Shared locks: a status change (exclusive) waits for this pass, or this pass sees it.
  const endpoints = await sql<EndpointRow[]>(tx,
    `select e.id, e.workspace_id, e.event_types, e.status from webhook_endpoints e join workspaces w on w.id = e.workspace_id
     where e.workspace_id in (select jsonb_array_elements_text(?::jsonb)) and e.status <> 'disabled' and 'integrations' = any(w.enabled_modules)
     order by e.id for share of e`, [JSON.stringify(workspaceIds)]);
  const rows = events.flatMap((event) => endpoints
    .filter((endpoint) => endpoint.workspace_id === event.workspace_id && subscribed(endpoint, event.type))
    .map((endpoint) => ({
      id: deliveryIdFor(event.id, endpoint.id), workspace_id: event.workspace_id, webhook_id: endpoint.id, event_id: event.id,
      event_type: event.type, message_id: event.id, body: eventBody(event), held: endpoint.status === 'paused',
    })));
  const commands: string[] = [];
  if (rows.length) {
    const inserted = await sql<{ id: string; workspace_id: string; webhook_id: string; event_type: string; held: boolean }[]>(tx,
      `insert into webhook_deliveries (id, workspace_id, webhook_id, event_id, event_type, message_id, body, status, next_attempt_at, held_at)
       select r.id, r.workspace_id, r.webhook_id, r.event_id, r.event_type, r.message_id, r.body, 'pending',
              case when r.held then null else now() end, case when r.held then now() end
       from jsonb_to_recordset(?::jsonb) as r(id text, workspace_id text, webhook_id text, event_id text, event_type text, message_id text, body text, held boolean)
       on conflict do nothing
       returning id, workspace_id, webhook_id, event_type, held_at is not null as held`, [JSON.stringify(rows)]);
    // The workflow's memo carries the request that recorded the event.
    const requestOf = new Map(events.map((e) => [e.id, e.request_id]));
    const eventOf = new Map(rows.map((r) => [r.id, r.event_id]));
    for (const d of inserted.filter((r) => !r.held)) {
      commands.push(enqueueDelivery(systemTenant(tx, d.workspace_id, new Map(), requestOf.get(eventOf.get(d.id)!) ?? null), d));
    }
    await tx.flush();
  }
  await sql(tx, `update outbox_events set published_at = now() where id in (select jsonb_array_elements_text(?::jsonb))`,
    [JSON.stringify(events.map((e) => e.id))]);
  return { handled: events.length, commands };
}

/** Held deliveries of resumed endpoints get their command; an endpoint with none left is done. */
async function releaseHeld(tx: EntityManager): Promise<{ handled: number; commands: string[] }> {
  const endpoints = await sql<{ id: string; workspace_id: string }[]>(tx,
    `select id, workspace_id from webhook_endpoints where release_held and status = 'active' limit 10 for update skip locked`);
  const commands: string[] = [];
  let handled = 0;
  for (const endpoint of endpoints) {
    const held = await sql<{ id: string; webhook_id: string; event_type: string }[]>(tx,
      `update webhook_deliveries set held_at = null, next_attempt_at = now(), updated_at = now()
       where id in (select id from webhook_deliveries where webhook_id = ? and held_at is not null order by id limit ? for update skip locked)
       returning id, webhook_id, event_type`, [endpoint.id, RELEASE_BATCH]);
    const ctx = systemTenant(tx, endpoint.workspace_id, new Map());
    for (const d of held) commands.push(enqueueDelivery(ctx, d));
    if (held.length < RELEASE_BATCH) await sql(tx, 'update webhook_endpoints set release_held = false where id = ?', [endpoint.id]);
    handled += held.length;
  }
  await tx.flush();
  return { handled, commands };
}

/** Starts the committed commands a few at a time; what fails here the command relay retries. */
async function dispatch(deps: PollerDeps, commands: readonly string[]): Promise<void> {
  const queue = [...commands];
  const lane = async () => {
    for (let id = queue.shift(); id; id = queue.shift()) {
      await deps.workflows.dispatch([id]).catch((err) => deps.logger.warn({ err, command: id }, 'webhook delivery start deferred to the command relay'));
    }
  };
  await Promise.all(Array.from({ length: DISPATCH_LANES }, lane));
}
