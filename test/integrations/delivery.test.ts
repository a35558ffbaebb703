// Webhooks end to end on the real services: the worker's relay turns committed outbox events
// into deliveries, the deliverWebhook workflow POSTs them to receivers on loopback, and the
// receivers verify every signature with the `standardwebhooks` package, unchanged.
import test from 'ava';
import { recordEvent } from '../../kernel/outbox.ts';
import { EVENT_TYPE, RESOURCE_ID, WORKSPACE_ID } from '../../platform/search-attributes.ts';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { createEndpoint, deliveriesOf, freePort, receiverPool, verify, waitUntil } from './helpers.ts';

let h: Harness;
const pool = receiverPool();
test.before(async () => { h = await bootHarness(); });
test.after.always(async () => {
  await pool.closeAll();
  await h?.close();
});

const { receiver } = pool;

test('each subscribed event reaches the endpoint once, signed (Standard Webhooks), as {id, type, created_at, workspace_id, data}', async (t) => {
  const { client, id: workspaceId } = await h.workspace();
  const other = await h.workspace();
  const r = await receiver();
  const endpoint = await createEndpoint(client, { url: r.url, event_types: ['contact.created'] });
  const contacts = [];
  const contactRequests: string[] = [];
  for (const name of ['Ada', 'Grace', 'Linus']) {
    const res = await client.post('/contacts', { name });
    contacts.push(res.body.data);
    contactRequests.push(res.body.request_id);
  }
  await client.post('/companies', { name: 'Not subscribed' });
  await other.client.post('/contacts', { name: 'Another workspace' });

  await waitUntil('three deliveries', async () => r.received.length >= 3);
  const events = await h.sql<{ id: string; resource_id: string }>(`select id, resource_id from outbox_events where workspace_id = ? and type = 'contact.created' order by id`, [workspaceId]);
  const bodies = r.received.map((m) => verify(endpoint.signing_secret, m));
  t.deepEqual(bodies.map((b) => b.id).sort(), events.map((e) => e.id).sort());
  for (const m of r.received) {
    const body = JSON.parse(m.body);
    t.is(m.headers['webhook-id'], body.id);
    t.regex(m.headers['webhook-signature'] as string, /^v1,[A-Za-z0-9+/]+=*$/);
    t.regex(m.headers['user-agent'] as string, /^Slab5-Webhooks\//);
    t.is(m.headers['content-type'], 'application/json');
    t.like(body, { type: 'contact.created', workspace_id: workspaceId });
    t.regex(body.id, /^evt_/);
    t.truthy(Date.parse(body.created_at));
    t.truthy(contacts.find((c) => c.id === body.data.id && c.name === body.data.name), 'data is the contact');
  }
  // A wrong secret does not verify.
  t.throws(() => verify(`whsec_${Buffer.alloc(32, 7).toString('base64')}`, r.received[0]!));

  await waitUntil('deliveries recorded as succeeded', async () => (await deliveriesOf(h, endpoint.id)).every((d) => d.status === 'succeeded'));
  const list = await client.get(`/webhooks/${endpoint.id}/deliveries`);
  t.is(list.status, 200);
  t.deepEqual(list.contractErrors, []);
  t.is(list.body.data.length, 3);
  for (const d of list.body.data) {
    t.like(d, { webhook_id: endpoint.id, event_type: 'contact.created', status: 'succeeded', attempt_count: 1, response_status: 200, last_error: null, next_attempt_at: null });
    t.is(d.attempts.length, 1);
    t.like(d.attempts[0], { attempt: 1, response_status: 200, response_excerpt: 'ok', error: null });
    t.true(d.attempts[0].duration_ms >= 0);
  }
  t.deepEqual(list.body.data.map((d: any) => d.event_id), [...events.map((e) => e.id)].reverse(), 'newest first');
  await new Promise((resolve) => setTimeout(resolve, 500));
  t.is(r.received.length, 3, 'nothing else arrives: not the company, not the other workspace\'s contact');

  // The run an operator finds in the Temporal UI: by workspace, endpoint and event type, with the request that caused it.
  const run = await h.deps.temporal.workflow.getHandle(`webhook-delivery-${list.body.data[0].id}`).describe();
  t.is(run.typedSearchAttributes.get(WORKSPACE_ID), workspaceId);
  t.is(run.typedSearchAttributes.get(RESOURCE_ID), endpoint.id);
  t.is(run.typedSearchAttributes.get(EVENT_TYPE), 'contact.created');
  t.is(run.memo?.request_id, contactRequests.at(-1));
});

test('an event committed by a process that then died is still delivered: the relay reads the outbox, not the API', async (t) => {
  const { client, id } = await h.workspace();
  const r = await receiver();
  const endpoint = await createEndpoint(client, { url: r.url, event_types: ['task.completed'] });
  // A domain write committed with its event, and no API around to do anything after the commit.
  await h.inTx(id, async (ctx) => { recordEvent(ctx, { type: 'task.completed', resource_type: 'task', resource_id: 'task_x', payload: { id: 'task_x' } }); await ctx.em.flush(); });
  await waitUntil('the delivery', async () => r.received.length >= 1);
  t.like(verify(endpoint.signing_secret, r.received[0]!), { type: 'task.completed', data: { id: 'task_x' } });
});

test('receiver down, then up: every event is delivered exactly once, after a recorded failed attempt', async (t) => {
  const { client } = await h.workspace();
  const port = await freePort();
  const endpoint = await createEndpoint(client, { url: `http://127.0.0.1:${port}/hooks`, event_types: ['company.created'] });
  for (const name of ['Down 1', 'Down 2', 'Down 3']) await client.post('/companies', { name });
  await waitUntil('three failed first attempts', async () => {
    const rows = await deliveriesOf(h, endpoint.id);
    return rows.length === 3 && rows.every((d) => d.status === 'retrying' && d.next_attempt_at !== null);
  });
  // Up at once: the second attempts are due 5 s after the first.
  const r = await receiver(port);
  await waitUntil('all three delivered', async () => (await deliveriesOf(h, endpoint.id)).every((d) => d.status === 'succeeded'), 60_000);
  const ids = r.received.map((m) => verify(endpoint.signing_secret, m).id);
  t.is(ids.length, 3);
  t.is(new Set(ids).size, 3, 'each event once');
  const done = (await client.get(`/webhooks/${endpoint.id}/deliveries`)).body.data;
  t.is(done.length, 3);
  for (const d of done) {
    t.is(d.attempt_count, 2);
    t.like(d.attempts[0], { attempt: 1, response_status: null, error: 'connection refused' });
    t.like(d.attempts[1], { attempt: 2, response_status: 200, error: null });
    // 5 s plus up to 20 % jitter from the workflow's clock after the first attempt, which started a little earlier.
    const wait = Date.parse(d.attempts[1].started_at) - Date.parse(d.attempts[0].started_at);
    t.true(wait >= 5_000, `the second attempt came 5 s (+ jitter) after the first, got ${wait} ms`);
  }
});

test('sendTestWebhookEvent answers 202 with a pending webhook.test delivery, which then arrives signed', async (t) => {
  const { client, id: workspaceId } = await h.workspace();
  const other = await h.workspace();
  const r = await receiver();
  const endpoint = await createEndpoint(client, { url: r.url, event_types: ['contact.created'] });
  const res = await client.post(`/webhooks/${endpoint.id}/test`);
  t.is(res.status, 202);
  t.deepEqual(res.contractErrors, []);
  t.like(res.body.data, { webhook_id: endpoint.id, event_id: null, event_type: 'webhook.test', status: 'pending', attempt_count: 0, attempts: [] });
  await waitUntil('the test event', async () => r.received.length >= 1);
  const body = verify(endpoint.signing_secret, r.received[0]!);
  t.like(body, { id: res.body.data.id, type: 'webhook.test', workspace_id: workspaceId, data: { webhook_id: endpoint.id } });
  await waitUntil('succeeded', async () => (await deliveriesOf(h, endpoint.id))[0]?.status === 'succeeded');

  const foreign = await other.client.post(`/webhooks/${endpoint.id}/test`);
  t.is(foreign.status, 404);
  t.deepEqual(foreign.contractErrors, []);
  t.is((await other.client.get(`/webhooks/${endpoint.id}/deliveries`)).status, 404);

  await client.patch(`/webhooks/${endpoint.id}`, { status: 'disabled' });
  const disabled = await client.post(`/webhooks/${endpoint.id}/test`);
  t.is(disabled.status, 422);
  t.deepEqual(disabled.contractErrors, []);
  t.is(disabled.body.error.code, 'rule_violation');
});

test('410 Gone disables the endpoint, records webhook.endpoint.disabled, and stops the retries', async (t) => {
  const { client, id } = await h.workspace();
  const r = await receiver();
  r.answer(() => ({ status: 410, body: 'gone' }));
  const endpoint = await createEndpoint(client, { url: r.url, event_types: ['contact.created'] });
  await client.post('/contacts', { name: 'Gone' });
  await waitUntil('the endpoint disabled', async () => (await h.sql('select status from webhook_endpoints where id = ?', [endpoint.id]))[0].status === 'disabled');
  const listed = (await client.get('/webhooks?status=disabled')).body.data;
  t.like(listed[0], { id: endpoint.id, status: 'disabled', disabled_reason: 'it answered 410 Gone' });
  const [delivery] = (await client.get(`/webhooks/${endpoint.id}/deliveries`)).body.data;
  t.like(delivery, { status: 'failed', attempt_count: 1, response_status: 410, next_attempt_at: null });
  t.truthy(delivery.completed_at);
  const events = await h.sql(`select payload from outbox_events where workspace_id = ? and type = 'webhook.endpoint.disabled'`, [id]);
  t.is(events.length, 1);
  t.like(events[0].payload, { id: endpoint.id, status: 'disabled', reason: 'it answered 410 Gone' });
  t.is(r.received.length, 1);
});

test('pausing holds deliveries and resuming sends them', async (t) => {
  const { client } = await h.workspace();
  const r = await receiver();
  const endpoint = await createEndpoint(client, { url: r.url, event_types: ['contact.created'] });
  const paused = await client.patch(`/webhooks/${endpoint.id}`, { status: 'paused' });
  t.is(paused.status, 200);
  t.deepEqual(paused.contractErrors, []);
  await client.post('/contacts', { name: 'Held 1' });
  await client.post('/contacts', { name: 'Held 2' });
  await waitUntil('two held deliveries', async () => {
    const rows = await deliveriesOf(h, endpoint.id);
    return rows.length === 2 && rows.every((d) => d.held_at !== null);
  });
  const held = (await client.get(`/webhooks/${endpoint.id}/deliveries`)).body.data;
  t.true(held.every((d: any) => d.status === 'pending' && d.next_attempt_at === null && d.attempt_count === 0));
  t.is(r.received.length, 0);

  await client.patch(`/webhooks/${endpoint.id}`, { status: 'active' });
  await waitUntil('both delivered', async () => (await deliveriesOf(h, endpoint.id)).every((d) => d.status === 'succeeded'));
  t.deepEqual(r.received.map((m) => verify(endpoint.signing_secret, m).data.name).sort(), ['Held 1', 'Held 2']);
});

test('after a rotation both secrets sign for 24 hours: each verifies on its own', async (t) => {
  const { client } = await h.workspace();
  const r = await receiver();
  const endpoint = await createEndpoint(client, { url: r.url, event_types: ['contact.created'] });
  const rotated = await client.patch(`/webhooks/${endpoint.id}`, { rotate_secret: true });
  t.is(rotated.status, 200);
  t.deepEqual(rotated.contractErrors, []);
  const newSecret = rotated.body.data.signing_secret;
  t.regex(newSecret, /^whsec_/);
  t.not(newSecret, endpoint.signing_secret);
  const expires = Date.parse(rotated.body.data.previous_secret_expires_at) - Date.now();
  t.true(expires > 23.9 * 3600_000 && expires <= 24 * 3600_000);
  await client.post('/contacts', { name: 'Rotated' });
  await waitUntil('the delivery', async () => r.received.length >= 1);
  const m = r.received[0]!;
  t.is((m.headers['webhook-signature'] as string).split(' ').length, 2);
  t.like(verify(newSecret, m), { type: 'contact.created' });
  t.like(verify(endpoint.signing_secret, m), { type: 'contact.created' });
  // Later reads never show a secret again.
  t.false('signing_secret' in (await client.get('/webhooks')).body.data[0]);
});

test('listWebhookDeliveries filters by status and event type and pages with a cursor', async (t) => {
  const { client } = await h.workspace();
  const r = await receiver();
  r.answer((m) => (JSON.parse(m.body).type === 'company.created' ? { status: 500, body: 'x'.repeat(5000) } : { status: 204 }));
  const endpoint = await createEndpoint(client, { url: r.url, event_types: ['contact.created', 'company.created'] });
  await client.post('/contacts', { name: 'One', company_name: 'Failing Co' });
  await client.post('/contacts', { name: 'Two' });
  await waitUntil('three first attempts recorded', async () => (await deliveriesOf(h, endpoint.id)).filter((d) => d.attempt_count >= 1 && d.status !== 'pending').length === 3);
  const byType = await client.get(`/webhooks/${endpoint.id}/deliveries?event_type=company.created`);
  t.deepEqual(byType.contractErrors, []);
  t.is(byType.body.data.length, 1);
  t.like(byType.body.data[0], { status: 'retrying', response_status: 500, last_error: 'HTTP 500' });
  t.is(byType.body.data[0].attempts[0].response_excerpt.length, 1024, 'at most 1 KiB of the response is kept');
  const succeeded = await client.get(`/webhooks/${endpoint.id}/deliveries?status=succeeded`);
  t.is(succeeded.body.data.length, 2);
  const first = await client.get(`/webhooks/${endpoint.id}/deliveries?limit=2`);
  t.is(first.body.data.length, 2);
  t.truthy(first.body.next_cursor);
  const second = await client.get(`/webhooks/${endpoint.id}/deliveries?limit=2&cursor=${encodeURIComponent(first.body.next_cursor)}`);
  t.is(second.body.data.length, 1);
  t.is(second.body.next_cursor, null);
  const tampered = await client.get(`/webhooks/${endpoint.id}/deliveries?cursor=${encodeURIComponent(`${first.body.next_cursor}x`)}`);
  t.is(tampered.status, 422);
  await client.patch(`/webhooks/${endpoint.id}`, { status: 'disabled' });
});
