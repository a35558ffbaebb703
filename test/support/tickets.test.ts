import test from 'ava';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { crmLinks, events, MINUTE, plus, queue, supportWorkspace, ticket, timeline } from './helpers.ts';

let h: Harness;
test.before(async () => { h = await bootHarness(); });
test.after.always(async () => { await h?.close(); });

const LINKS = ['contact_id', 'company_id', 'deal_id', 'lead_id', 'invoice_id'] as const;

test('createSupportTicket answers 201 new, with the defaults, no SLA without a queue, and support_ticket.created', async (t) => {
  const { id, client } = await h.workspace();
  const res = await client.post('/support/tickets', { subject: 'Customer cannot download invoice', priority: 'urgent', category: 'billing' });
  t.is(res.status, 201);
  t.deepEqual(res.contractErrors, []);
  const created = res.body.data;
  t.regex(created.id, /^ticket_[0-9a-z]{26}$/);
  t.like(created, {
    subject: 'Customer cannot download invoice', description: null, status: 'new', priority: 'urgent', source: 'api', category: 'billing',
    queue_id: null, assignee_id: null, contact_id: null, company_id: null, deal_id: null, lead_id: null, invoice_id: null, custom_fields: {},
    first_response_due_at: null, first_responded_at: null, first_response_breached_at: null, resolution_due_at: null,
    resolution_breached_at: null, sla_paused_at: null, resolved_at: null, closed_at: null,
  });
  t.is(created.created_at, created.updated_at);
  t.is((await ticket(client)).priority, 'normal');
  const [event] = await events(h, id, 'support_ticket.created');
  t.like(event, { resource_type: 'support_ticket', resource_id: created.id, request_id: res.body.request_id });
  t.is(event!.payload.subject, created.subject);
  t.deepEqual(await h.sql('select workflow_id from workflow_commands where workspace_id = ?', [id]), [], 'no SLA target, no workflow');
});

test('a ticket in a queue with targets gets its due times and a command that starts support-sla-<ticket_id>', async (t) => {
  const { id, client } = await supportWorkspace(h);
  const links = await crmLinks(client);
  const q = await queue(client, 'priority', { first_response_target_minutes: 120, resolution_target_minutes: 480 });
  const res = await client.post('/support/tickets', {
    subject: 'Refund', description: 'Charged twice', priority: 'high', source: 'email', category: 'billing', queue_id: q.id,
    assignee_id: 'agent_7', custom_fields: { plan: 'pro', seats: 12 }, ...links,
  });
  t.is(res.status, 201);
  t.deepEqual(res.contractErrors, []);
  const created = res.body.data;
  t.like(created, { queue_id: q.id, assignee_id: 'agent_7', source: 'email', ...links, custom_fields: { plan: 'pro', seats: 12 } });
  t.is(created.first_response_due_at, plus(created.created_at, 120 * MINUTE));
  t.is(created.resolution_due_at, plus(created.created_at, 480 * MINUTE));
  const commands = await h.sql('select workflow_type, workflow_id, resource_id, args, reuse from workflow_commands where workspace_id = ?', [id]);
  t.deepEqual(commands, [{
    workflow_type: 'supportTicketSla', workflow_id: `support-sla-${created.id}`, resource_id: created.id,
    args: [{ workspaceId: id, ticketId: created.id }], reuse: 'allow_duplicate',
  }]);
  const [row] = await h.sql('select sla_run_active from support_tickets where id = ?', [created.id]);
  t.true(row.sla_run_active);

  const partial = await ticket(client, { queue_id: (await queue(client, 'fr_only', { first_response_target_minutes: 30 })).id });
  t.is(partial.first_response_due_at, plus(partial.created_at, 30 * MINUTE));
  t.is(partial.resolution_due_at, null);
});

test('each link must name a record of this workspace: 404 naming the field, and nothing is created', async (t) => {
  const a = await supportWorkspace(h);
  const b = await supportWorkspace(h);
  const foreign = await crmLinks(b.client);
  const types = { contact_id: 'contact', company_id: 'company', deal_id: 'deal', lead_id: 'lead', invoice_id: 'invoice' } as const;
  for (const field of LINKS) {
    for (const value of [foreign[field], `${field.split('_')[0]}_missing`]) {
      const res = await a.client.post('/support/tickets', { subject: 'Linked', [field]: value });
      t.is(res.status, 404, `${field} ${value}`);
      t.deepEqual(res.contractErrors, []);
      t.is(res.body.error.code, 'not_found');
      t.deepEqual(res.body.error.details, { resource: types[field], id: value, field });
      t.regex(res.body.error.message, new RegExp(field));
    }
  }
  const otherQueue = await queue(b.client, 'theirs');
  const noQueue = await a.client.post('/support/tickets', { subject: 'Queued', queue_id: otherQueue.id });
  t.is(noQueue.status, 404);
  t.deepEqual(noQueue.body.error.details, { resource: 'support_queue', id: otherQueue.id, field: 'queue_id' });
  t.deepEqual((await a.client.get('/support/tickets')).body.data, []);
  t.deepEqual(await events(h, a.id, 'support_ticket.created'), []);
});

test('an archived queue takes no tickets (422 naming queue_id); a paused one does', async (t) => {
  const { client } = await h.workspace();
  const archived = await queue(client, 'old');
  await h.sql("update support_queues set status = 'archived' where id = ?", [archived.id]);
  const res = await client.post('/support/tickets', { subject: 'X', queue_id: archived.id });
  t.is(res.status, 422);
  t.deepEqual(res.contractErrors, []);
  t.like(res.body.error, { code: 'rule_violation', details: { field: 'queue_id', queue_id: archived.id } });
  const paused = (await client.post('/support/queues', { key: 'paused', name: 'Paused', status: 'paused' })).body.data;
  t.is((await ticket(client, { queue_id: paused.id })).queue_id, paused.id);
  const open = await ticket(client);
  const moved = await client.patch(`/support/tickets/${open.id}`, { queue_id: archived.id });
  t.is(moved.status, 422);
  t.is(moved.body.error.details.field, 'queue_id');
});

test('createSupportTicket validates its body (422 naming the field) and replays an Idempotency-Key', async (t) => {
  const { client } = await h.workspace();
  for (const body of [{}, { subject: '' }, { subject: 'x'.repeat(501) }, { subject: 'X', priority: 'critical' }, { subject: 'X', source: 'fax' }, { subject: 'X', status: 'open' }]) {
    const res = await client.post('/support/tickets', body);
    t.is(res.status, 422, JSON.stringify(body).slice(0, 80));
    t.is(res.body.error.code, 'validation_failed');
    t.deepEqual(res.contractErrors, []);
  }
  const headers = { 'Idempotency-Key': 'ticket-once' };
  const first = await client.post('/support/tickets', { subject: 'Once' }, { headers });
  const again = await client.post('/support/tickets', { subject: 'Once' }, { headers });
  t.is(again.headers.get('idempotent-replayed'), 'true');
  t.deepEqual(again.body.data, first.body.data);
  const reused = await client.post('/support/tickets', { subject: 'Twice' }, { headers });
  t.is(reused.status, 409);
  t.is(reused.body.error.code, 'idempotency_key_reused');
  t.is((await client.get('/support/tickets')).body.data.length, 1);
});

test('listSupportTickets has every filter of the reference', async (t) => {
  const { client } = await supportWorkspace(h);
  const links = await crmLinks(client);
  const q = await queue(client, 'tier2');
  const a = await ticket(client, { subject: 'A', priority: 'urgent', source: 'email', category: 'billing', queue_id: q.id, assignee_id: 'agent_1', ...links });
  const b = await ticket(client, { subject: 'B', priority: 'low', source: 'chat', category: 'bugs', contact_id: links.contact_id });
  const c = await ticket(client, { subject: 'C' });
  await client.patch(`/support/tickets/${c.id}`, { status: 'pending' });
  const subjects = async (query: string) => {
    const res = await client.get(`/support/tickets?${query}`);
    t.is(res.status, 200, query);
    t.deepEqual(res.contractErrors, []);
    return res.body.data.map((x: any) => x.subject).sort();
  };
  t.deepEqual(await subjects('limit=100'), ['A', 'B', 'C']);
  t.deepEqual(await subjects('status=pending'), ['C']);
  t.deepEqual(await subjects('status=new'), ['A', 'B']);
  t.deepEqual(await subjects('priority=urgent'), ['A']);
  t.deepEqual(await subjects('priority=normal'), ['C']);
  t.deepEqual(await subjects('source=chat'), ['B']);
  t.deepEqual(await subjects('category=billing'), ['A']);
  t.deepEqual(await subjects('category=Billing'), [], 'category is exact');
  t.deepEqual(await subjects(`queue_id=${q.id}`), ['A']);
  t.deepEqual(await subjects('assignee_id=agent_1'), ['A']);
  t.deepEqual(await subjects(`contact_id=${links.contact_id}`), ['A', 'B']);
  for (const field of ['company_id', 'deal_id', 'lead_id', 'invoice_id'] as const) t.deepEqual(await subjects(`${field}=${links[field]}`), ['A'], field);
  t.deepEqual(await subjects(`contact_id=${links.contact_id}&priority=low`), ['B']);
  t.deepEqual(await subjects('queue_id=queue_nope'), []);
  for (const bad of ['status=solved', 'priority=p1', 'source=fax', 'limit=0', 'limit=101']) {
    const res = await client.get(`/support/tickets?${bad}`);
    t.is(res.status, 422, bad);
    t.deepEqual(res.contractErrors, []);
  }
  t.truthy(a && b);
});

test('query searches subject, description and message bodies, case-insensitively and literally', async (t) => {
  const a = await h.workspace();
  const b = await h.workspace();
  await ticket(a.client, { subject: 'Cannot download INVOICE' });
  await ticket(a.client, { subject: 'Login loop', description: 'The SSO redirect never ends' });
  const chatty = await ticket(a.client, { subject: 'Question' });
  await a.client.post(`/support/tickets/${chatty.id}/messages`, { direction: 'inbound', body: 'My parcel 100% went to Narnia' });
  await a.client.post(`/support/tickets/${chatty.id}/messages`, { direction: 'outbound', body: 'We are checking with the courier.' });
  await ticket(b.client, { subject: 'Narnia invoice' });
  const subjects = async (q: string) => {
    const res = await a.client.get(`/support/tickets?query=${encodeURIComponent(q)}`);
    t.is(res.status, 200);
    t.deepEqual(res.contractErrors, []);
    return res.body.data.map((x: any) => x.subject).sort();
  };
  t.deepEqual(await subjects('invoice'), ['Cannot download INVOICE']);
  t.deepEqual(await subjects('sso redirect'), ['Login loop']);
  t.deepEqual(await subjects('narnia'), ['Question'], 'a message body, and never the other workspace');
  t.deepEqual(await subjects('COURIER'), ['Question'], 'the outbound message too');
  t.deepEqual(await subjects('100%'), ['Question']);
  t.deepEqual(await subjects('1_0'), [], 'LIKE wildcards match literally');
  t.deepEqual(await subjects('narnia we are'), [], 'two messages do not run into one another');
  const filtered = await a.client.get('/support/tickets?query=narnia&status=open');
  t.deepEqual(filtered.body.data.map((x: any) => x.subject), ['Question'], 'the outbound reply opened it');
});

test('custom_field_key + custom_field_value filter tickets as they filter leads', async (t) => {
  const { client } = await h.workspace();
  await ticket(client, { subject: 'Gold', custom_fields: { tier: 'gold', seats: 42, vip: true } });
  await ticket(client, { subject: 'Text42', custom_fields: { seats: '42' } });
  await ticket(client, { subject: 'Plain' });
  const subjects = async (q: string) => (await client.get(`/support/tickets?${q}`)).body.data.map((x: any) => x.subject).sort();
  t.deepEqual(await subjects('custom_field_key=tier&custom_field_value=gold'), ['Gold']);
  t.deepEqual(await subjects('custom_field_key=seats&custom_field_value=42'), ['Gold', 'Text42']);
  t.deepEqual(await subjects('custom_field_key=vip&custom_field_value=true'), ['Gold']);
  t.deepEqual(await subjects('custom_field_key=seats'), ['Gold', 'Text42']);
  const orphan = await client.get('/support/tickets?custom_field_value=gold');
  t.is(orphan.status, 422);
  t.is(orphan.body.error.details.fields[0].field, 'custom_field_value');
});

test('listSupportTickets pages newest first with a signed cursor bound to the workspace', async (t) => {
  const a = await h.workspace();
  const b = await h.workspace();
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) ids.push((await ticket(a.client, { subject: `T${i}`, priority: i % 2 ? 'high' : 'low' })).id);
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const res: any = await a.client.get(`/support/tickets?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    t.deepEqual(res.contractErrors, []);
    seen.push(...res.body.data.map((x: any) => x.id));
    cursor = res.body.next_cursor;
  } while (cursor);
  t.deepEqual(seen, [...ids].reverse());
  const first = await a.client.get('/support/tickets?limit=1&priority=low');
  const second = await a.client.get(`/support/tickets?limit=1&priority=low&cursor=${encodeURIComponent(first.body.next_cursor)}`);
  t.deepEqual(second.body.data.map((x: any) => x.id), [ids[2]]);
  t.is((await b.client.get(`/support/tickets?cursor=${encodeURIComponent(first.body.next_cursor)}`)).status, 422);
  t.deepEqual((await b.client.get('/support/tickets')).body.data, []);
});

test('updateSupportTicket changes fields, null clears, custom_fields merge, and each change is an event and a timeline entry', async (t) => {
  const { id, client } = await supportWorkspace(h);
  const links = await crmLinks(client);
  const created = await ticket(client, { description: 'Old text', category: 'billing', assignee_id: 'agent_1', custom_fields: { plan: 'pro', seats: 3 }, ...links });
  const res = await client.patch(`/support/tickets/${created.id}`, {
    subject: 'Invoice PDF is blank', description: null, priority: 'high', category: null, assignee_id: 'agent_2',
    contact_id: null, deal_id: null, custom_fields: { seats: null, region: 'emea' },
  });
  t.is(res.status, 200);
  t.deepEqual(res.contractErrors, []);
  const updated = res.body.data;
  t.like(updated, {
    subject: 'Invoice PDF is blank', description: null, priority: 'high', category: null, assignee_id: 'agent_2',
    contact_id: null, deal_id: null, company_id: links.company_id, lead_id: links.lead_id, invoice_id: links.invoice_id,
    custom_fields: { plan: 'pro', region: 'emea' }, status: 'new',
  });
  t.true(updated.updated_at > created.updated_at);
  const [event] = await events(h, id, 'support_ticket.updated');
  t.like(event, { resource_id: created.id, request_id: res.body.request_id });
  t.deepEqual(event!.payload.changed_fields.sort(), ['assignee_id', 'category', 'contact_id', 'custom_fields', 'deal_id', 'description', 'priority', 'subject']);
  t.is(event!.payload.subject, 'Invoice PDF is blank');
  const [entry] = await timeline(client, created.id);
  t.like(entry, { type: 'note', related_resource_type: 'support_ticket', related_resource_id: created.id, actor_type: 'api_token' });
  t.regex(entry.summary, /updated: .*priority/);
  t.regex(entry.body, /priority: "normal" → "high"/);

  const same = await client.patch(`/support/tickets/${created.id}`, { priority: 'high', assignee_id: 'agent_2' });
  t.is(same.status, 200);
  t.is(same.body.data.updated_at, updated.updated_at, 'nothing changed, nothing recorded');
  t.is((await events(h, id, 'support_ticket.updated')).length, 1);
  t.is((await timeline(client, created.id)).length, 1);

  const relink = await client.patch(`/support/tickets/${created.id}`, { contact_id: links.contact_id });
  t.is(relink.body.data.contact_id, links.contact_id);
  const tooMany = await client.patch(`/support/tickets/${created.id}`, { custom_fields: Object.fromEntries(Array.from({ length: 99 }, (_, i) => [`k${i}`, i])) });
  t.is(tooMany.status, 422);
  t.is(tooMany.body.error.details.field, 'custom_fields');
});

test('updateSupportTicket answers 404 for another workspace\'s ticket and for links outside the workspace, 422 for an empty body', async (t) => {
  const a = await supportWorkspace(h);
  const b = await supportWorkspace(h);
  const theirs = await ticket(b.client);
  const foreign = await a.client.patch(`/support/tickets/${theirs.id}`, { priority: 'low' });
  t.is(foreign.status, 404);
  t.deepEqual(foreign.contractErrors, []);
  t.is((await b.client.get('/support/tickets')).body.data[0].priority, 'normal');
  const mine = await ticket(a.client);
  const links = await crmLinks(b.client);
  const link = await a.client.patch(`/support/tickets/${mine.id}`, { invoice_id: links.invoice_id });
  t.is(link.status, 404);
  t.deepEqual(link.body.error.details, { resource: 'invoice', id: links.invoice_id, field: 'invoice_id' });
  const empty = await a.client.patch(`/support/tickets/${mine.id}`, {});
  t.is(empty.status, 422);
  t.deepEqual(empty.contractErrors, []);
});

test('moving a ticket to another queue recomputes its due times from that queue\'s targets', async (t) => {
  const { id, client } = await h.workspace();
  const fast = await queue(client, 'fast', { first_response_target_minutes: 30, resolution_target_minutes: 240 });
  const slow = await queue(client, 'slow', { first_response_target_minutes: 600 });
  const created = await ticket(client, { queue_id: fast.id });
  t.is(created.first_response_due_at, plus(created.created_at, 30 * MINUTE));
  const moved = (await client.patch(`/support/tickets/${created.id}`, { queue_id: slow.id })).body.data;
  t.is(moved.first_response_due_at, plus(created.created_at, 600 * MINUTE));
  t.is(moved.resolution_due_at, null);
  const updated = await events(h, id, 'support_ticket.updated');
  t.deepEqual(updated[0]!.payload.changed_fields.sort(), ['first_response_due_at', 'queue_id', 'resolution_due_at']);
  const unqueued = (await client.patch(`/support/tickets/${created.id}`, { queue_id: null })).body.data;
  t.like(unqueued, { queue_id: null, first_response_due_at: null, resolution_due_at: null });
  // One run for the ticket's whole life: moves tell it, they do not start another.
  t.is((await h.sql('select count(*)::int as n from workflow_commands where resource_id = ?', [created.id]))[0].n, 1);
  const later = await ticket(client);
  t.is((await client.patch(`/support/tickets/${later.id}`, { queue_id: fast.id })).body.data.first_response_due_at, plus(later.created_at, 30 * MINUTE));
  t.is((await h.sql('select count(*)::int as n from workflow_commands where resource_id = ?', [later.id]))[0].n, 1, 'queued later: its run starts then');
});
