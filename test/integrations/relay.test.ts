// The webhook relay against the real database, beside the test worker's own relay: passes that
// run at once or crash before their commit never lose or double a delivery, and the attempt
// activity refuses a target that DNS (or the deployment) no longer allows, sending nothing.
import test from 'ava';
import { recordEvent } from '../../kernel/outbox.ts';
import { createLogger } from '../../platform/logger.ts';
import type { PollerDeps } from '../../modules/manifest.ts';
import { relayWebhooks, fanOutEvents } from '../../modules/integrations/deliveries/relay.ts';
import { createDeliveryActivities } from '../../modules/integrations/delivery/activities.ts';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { createEndpoint, deliveriesOf, receiverPool, waitUntil } from './helpers.ts';

let h: Harness;
const pool = receiverPool();
test.before(async () => { h = await bootHarness(); });
test.after.always(async () => {
  await pool.closeAll();
  await h?.close();
});
const { receiver } = pool;
const pollerDeps = (): PollerDeps => ({ config: h.config, logger: createLogger('silent'), orm: h.deps.orm, workflows: h.deps.workflows });

async function recordEvents(workspaceId: string, n: number, type = 'contact.created'): Promise<string[]> {
  await h.inTx(workspaceId, async (ctx) => {
    for (let i = 0; i < n; i++) recordEvent(ctx, { type, resource_type: 'contact', resource_id: `con_${i}`, payload: { i } });
    await ctx.em.flush();
  });
  return (await h.sql<{ id: string }>('select id from outbox_events where workspace_id = ? and type = ? order by id', [workspaceId, type])).map((r) => r.id);
}

test('relay passes running at once (here and in the worker) deliver each event to each subscribed endpoint exactly once', async (t) => {
  const { client, id } = await h.workspace();
  const r = await receiver();
  const a = await createEndpoint(client, { url: r.url, event_types: ['contact.created'] });
  const b = await createEndpoint(client, { url: `${r.url}/b`, event_types: ['*'] });
  await createEndpoint(client, { url: `${r.url}/c`, event_types: ['task.created'] });
  await h.sql(`update outbox_events set published_at = now() where workspace_id = ?`, [id]);
  const events = await recordEvents(id, 40);
  await Promise.all([relayWebhooks(pollerDeps()), relayWebhooks(pollerDeps()), relayWebhooks(pollerDeps())]);
  await waitUntil('every event relayed', async () =>
    (await h.sql(`select 1 from outbox_events where workspace_id = ? and published_at is null`, [id])).length === 0);
  for (const endpoint of [a, b]) {
    const rows = (await deliveriesOf(h, endpoint.id)).filter((d) => d.event_type === 'contact.created');
    t.deepEqual(rows.map((d) => d.event_id).sort(), [...events].sort(), `one delivery per event for ${endpoint.id}`);
  }
  const contactsReceived = () => r.received.filter((m) => JSON.parse(m.body).type === 'contact.created');
  await waitUntil('80 deliveries received', async () => contactsReceived().length >= 80);
  await new Promise((resolve) => setTimeout(resolve, 500));
  t.is(contactsReceived().length, 80);
  t.is(new Set(contactsReceived().map((m) => `${m.path} ${m.headers['webhook-id']}`)).size, 80, 'each (endpoint, event) once');
});

test('a pass that dies before its commit leaves its events to the next one: nothing lost, nothing doubled', async (t) => {
  const { client, id } = await h.workspace();
  const r = await receiver();
  const endpoint = await createEndpoint(client, { url: r.url, event_types: ['contact.created'] });
  await h.sql(`update outbox_events set published_at = now() where workspace_id = ?`, [id]);
  const events = await recordEvents(id, 5);
  await t.throwsAsync(h.deps.orm.em.fork().transactional(async (tx) => {
    // Usually it claims these events (the worker's relay may win the race for some: same outcome).
    const claimed = await fanOutEvents(tx);
    t.log(`the doomed pass claimed ${claimed.handled} events`);
    throw new Error('crash before the commit');
  }), { message: /crash/ });
  const contactDeliveries = async () => (await deliveriesOf(h, endpoint.id)).filter((d) => d.event_type === 'contact.created');
  await waitUntil('every event delivered', async () => (await contactDeliveries()).filter((d) => d.status === 'succeeded').length === 5);
  t.deepEqual((await contactDeliveries()).map((d) => d.event_id).sort(), events.sort());
  await new Promise((resolve) => setTimeout(resolve, 300));
  t.is(r.received.length, 5);
});

test('events of a workspace whose integrations module is off are published with no delivery', async (t) => {
  const { client, id } = await h.workspace();
  const r = await receiver();
  const endpoint = await createEndpoint(client, { url: r.url, event_types: ['*'] });
  await h.sql(`update workspaces set enabled_modules = array_remove(enabled_modules, 'integrations') where id = ?`, [id]);
  await h.sql(`update outbox_events set published_at = now() where workspace_id = ?`, [id]);
  await recordEvents(id, 2);
  await waitUntil('published', async () => (await h.sql(`select 1 from outbox_events where workspace_id = ? and published_at is null`, [id])).length === 0);
  t.deepEqual((await deliveriesOf(h, endpoint.id)).filter((d) => d.event_type === 'contact.created'), []);
});

test('at attempt time the target is checked again: a deployment that no longer allows it records a refused attempt and sends nothing', async (t) => {
  const { client, id } = await h.workspace();
  const r = await receiver();
  const endpoint = await createEndpoint(client, { url: r.url, event_types: ['contact.created'] });
  await client.patch(`/webhooks/${endpoint.id}`, { status: 'paused' });
  await recordEvents(id, 1);
  const [delivery] = await waitUntil('a held delivery', async () => { const rows = await deliveriesOf(h, endpoint.id); return rows.length ? rows : null; });
  await h.sql(`update webhook_endpoints set status = 'active', release_held = false where id = ?`, [endpoint.id]);
  const strict = createDeliveryActivities({ ...h.deps, config: { ...h.config, webhookAllowPrivateCidrs: [] }, s3: h.deps.s3, seeders: [] });
  const outcome = await strict.attemptWebhookDelivery({ workspaceId: id, deliveryId: delivery!.id, eventType: 'contact.created' });
  t.like(outcome, { state: 'failed', attempt: 1, endpointDisabled: false });
  const [attempt] = await h.sql('select * from webhook_attempts where delivery_id = ?', [delivery!.id]);
  t.like(attempt, { attempt: 1, response_status: null });
  t.regex(attempt.error, /refused target 127\.0\.0\.1: 127\.0\.0\.1 is a loopback address/);
  t.is(r.received.length, 0);
  // And a name that resolves inside now is refused the same way.
  const rebound = createDeliveryActivities({ ...h.deps, config: { ...h.config, webhookAllowPrivateCidrs: [] }, s3: h.deps.s3, seeders: [] },
    { resolve: async () => [{ address: '10.0.0.8', family: 4 }] });
  await h.sql(`update webhook_endpoints set url = 'https://hooks.rebound.test/x' where id = ?`, [endpoint.id]);
  t.like(await rebound.attemptWebhookDelivery({ workspaceId: id, deliveryId: delivery!.id, eventType: 'contact.created' }), { state: 'failed', attempt: 2 });
  t.regex((await h.sql('select error from webhook_attempts where delivery_id = ? and attempt = 2', [delivery!.id]))[0].error, /10\.0\.0\.8 is a private address/);
});

test('an endpoint that has failed every attempt for 5 days is disabled by the next failure', async (t) => {
  const { client, id } = await h.workspace();
  const r = await receiver();
  r.answer(() => ({ status: 500 }));
  const endpoint = await createEndpoint(client, { url: r.url, event_types: ['contact.created'] });
  await client.patch(`/webhooks/${endpoint.id}`, { status: 'paused' });
  await recordEvents(id, 1);
  const [delivery] = await waitUntil('a held delivery', async () => { const rows = await deliveriesOf(h, endpoint.id); return rows.length ? rows : null; });
  await h.sql(`update webhook_endpoints set status = 'active', release_held = false, failing_since = now() - interval '5 days 1 minute' where id = ?`, [endpoint.id]);
  const activities = createDeliveryActivities({ ...h.deps, config: h.config, s3: h.deps.s3, seeders: [] });
  t.like(await activities.attemptWebhookDelivery({ workspaceId: id, deliveryId: delivery!.id, eventType: 'contact.created' }),
    { state: 'failed', endpointDisabled: true });
  const [row] = await h.sql('select status, disabled_reason from webhook_endpoints where id = ?', [endpoint.id]);
  t.deepEqual(row, { status: 'disabled', disabled_reason: 'every delivery attempt failed for 5 days' });
  t.is((await h.sql(`select 1 from outbox_events where workspace_id = ? and type = 'webhook.endpoint.disabled'`, [id])).length, 1);
  // A success in between would have reset the count.
  await h.sql(`update webhook_endpoints set status = 'active', failing_since = now() - interval '4 days' where id = ?`, [endpoint.id]);
  r.answer(() => ({ status: 200 }));
  await client.post(`/webhooks/${endpoint.id}/test`);
  await waitUntil('the test delivered', async () => (await h.sql('select failing_since from webhook_endpoints where id = ?', [endpoint.id]))[0].failing_since === null);
  t.pass();
});
