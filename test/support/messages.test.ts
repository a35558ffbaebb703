import test from 'ava';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { events, queue, ticket, timeline } from './helpers.ts';

let h: Harness;
test.before(async () => { h = await bootHarness(); });
test.after.always(async () => { await h?.close(); });

test('addSupportTicketMessage answers 201 with every field and records support_ticket_message.created', async (t) => {
  const { id, client } = await h.workspace();
  const created = await ticket(client);
  const res = await client.post(`/support/tickets/${created.id}/messages`, { direction: 'inbound', channel: 'email', body: 'I still cannot access the invoice.' });
  t.is(res.status, 201);
  t.deepEqual(res.contractErrors, []);
  const message = res.body.data;
  t.regex(message.id, /^msg_[0-9a-z]{26}$/);
  t.like(message, { ticket_id: created.id, direction: 'inbound', channel: 'email', body: 'I still cannot access the invoice.', author_name: null, author_email: null, custom_fields: {} });
  const full = await client.post(`/support/tickets/${created.id}/messages`, {
    direction: 'inbound', body: 'Screenshot attached', author_name: 'Jane Doe', author_email: 'jane@acme.example', custom_fields: { locale: 'de' },
  });
  t.like(full.body.data, { channel: 'api', author_name: 'Jane Doe', author_email: 'jane@acme.example', custom_fields: { locale: 'de' } });
  const recorded = await events(h, id, 'support_ticket_message.created');
  t.deepEqual(recorded.map((e) => e.resource_id), [message.id, full.body.data.id]);
  t.is(recorded[0]!.request_id, res.body.request_id);
  for (const body of [{ body: 'no direction' }, { direction: 'sideways', body: 'x' }, { direction: 'inbound', body: '' }, { direction: 'inbound', body: 'x', channel: 'manual' }, { direction: 'inbound', body: 'x', author_email: 'nope' }]) {
    const bad = await client.post(`/support/tickets/${created.id}/messages`, body);
    t.is(bad.status, 422, JSON.stringify(body));
    t.deepEqual(bad.contractErrors, []);
  }
});

test('the first outbound message is the first response: it sets first_responded_at once and opens a new ticket', async (t) => {
  const { id, client } = await h.workspace();
  const q = await queue(client, 'std', { first_response_target_minutes: 60 });
  const created = await ticket(client, { queue_id: q.id });
  await client.post(`/support/tickets/${created.id}/messages`, { direction: 'inbound', body: 'Hello?' });
  let current = (await client.get('/support/tickets')).body.data[0];
  t.like(current, { status: 'new', first_responded_at: null });
  const reply = (await client.post(`/support/tickets/${created.id}/messages`, { direction: 'outbound', body: 'On it.' })).body.data;
  current = (await client.get('/support/tickets')).body.data[0];
  t.like(current, { status: 'open', first_responded_at: reply.created_at });
  await client.post(`/support/tickets/${created.id}/messages`, { direction: 'outbound', body: 'Fixed.' });
  t.is((await client.get('/support/tickets')).body.data[0].first_responded_at, reply.created_at, 'only the first one');
  const updates = (await events(h, id, 'support_ticket.updated')).map((e) => e.payload.changed_fields.sort());
  t.deepEqual(updates, [['first_responded_at', 'status']]);
  t.deepEqual((await timeline(client, created.id)).map((e) => e.summary), ['Ticket "Customer cannot download invoice" moved from new to open']);
});

test('an inbound message reopens a pending, waiting or resolved ticket; a closed ticket takes no message (422)', async (t) => {
  const { client } = await h.workspace();
  for (const status of ['pending', 'waiting_on_customer', 'resolved'] as const) {
    const created = await ticket(client, { subject: status });
    await client.patch(`/support/tickets/${created.id}`, { status });
    const outbound = await client.post(`/support/tickets/${created.id}/messages`, { direction: 'outbound', body: 'Any news?' });
    t.is(outbound.status, 201);
    t.is((await client.get(`/support/tickets?query=${status}`)).body.data[0].status, status, 'our own message does not reopen it');
    await client.post(`/support/tickets/${created.id}/messages`, { direction: 'inbound', body: 'Still broken' });
    const reopened = (await client.get(`/support/tickets?query=${status}`)).body.data[0];
    t.like(reopened, { status: 'open', resolved_at: null, sla_paused_at: null }, status);
  }
  const closed = await ticket(client, { subject: 'closed one' });
  await client.patch(`/support/tickets/${closed.id}`, { status: 'closed' });
  for (const direction of ['inbound', 'outbound']) {
    const res = await client.post(`/support/tickets/${closed.id}/messages`, { direction, body: 'Hello again' });
    t.is(res.status, 422);
    t.deepEqual(res.contractErrors, []);
    t.like(res.body.error, { code: 'rule_violation', details: { field: 'ticket_id', status: 'closed' } });
  }
  t.deepEqual((await client.get(`/support/tickets/${closed.id}/messages`)).body.data, []);
  t.is((await client.get('/support/tickets?query=closed%20one')).body.data[0].status, 'closed');
});

test('listSupportTicketMessages lists oldest first, pages, searches bodies and filters custom fields', async (t) => {
  const { client } = await h.workspace();
  const created = await ticket(client);
  const ids: string[] = [];
  for (const [i, body] of ['First: cannot log in', 'Second: tried RESET', 'Third: reset worked', 'Fourth: thanks', 'Fifth: 50% off?'].entries()) {
    ids.push((await client.post(`/support/tickets/${created.id}/messages`, { direction: i % 2 ? 'outbound' : 'inbound', body, custom_fields: { n: i } })).body.data.id);
  }
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const res: any = await client.get(`/support/tickets/${created.id}/messages?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    t.is(res.status, 200);
    t.deepEqual(res.contractErrors, []);
    seen.push(...res.body.data.map((m: any) => m.id));
    cursor = res.body.next_cursor;
  } while (cursor);
  t.deepEqual(seen, ids, 'oldest first');
  const bodies = async (q: string) => (await client.get(`/support/tickets/${created.id}/messages?${q}`)).body.data.map((m: any) => m.body);
  t.deepEqual(await bodies('query=reset'), ['Second: tried RESET', 'Third: reset worked']);
  t.deepEqual(await bodies('query=50%25'), ['Fifth: 50% off?']);
  t.deepEqual(await bodies('custom_field_key=n&custom_field_value=3'), ['Fourth: thanks']);
  t.deepEqual(await bodies(`ticket_id=ticket_ignored&query=fourth`), ['Fourth: thanks'], 'the deprecated query ticket_id is ignored');
  const other = await ticket(client);
  const page = await client.get(`/support/tickets/${created.id}/messages?limit=1`);
  const crossed = await client.get(`/support/tickets/${other.id}/messages?cursor=${encodeURIComponent(page.body.next_cursor)}`);
  t.is(crossed.status, 422, 'a cursor belongs to one ticket\'s list');
});

test('messages and comments of another workspace\'s ticket answer 404, for reads and writes', async (t) => {
  const a = await h.workspace();
  const b = await h.workspace();
  const theirs = await ticket(b.client);
  await b.client.post(`/support/tickets/${theirs.id}/messages`, { direction: 'inbound', body: 'secret' });
  for (const res of [
    await a.client.get(`/support/tickets/${theirs.id}/messages`),
    await a.client.post(`/support/tickets/${theirs.id}/messages`, { direction: 'inbound', body: 'sneaky' }),
    await a.client.get(`/support/tickets/${theirs.id}/comments`),
    await a.client.post(`/support/tickets/${theirs.id}/comments`, { body: 'sneaky' }),
    await a.client.get('/support/tickets/ticket_missing/messages'),
  ]) {
    t.is(res.status, 404);
    t.deepEqual(res.contractErrors, []);
    t.is(res.body.error.code, 'not_found');
  }
  t.is((await b.client.get(`/support/tickets/${theirs.id}/messages`)).body.data.length, 1);
  t.deepEqual((await b.client.get(`/support/tickets/${theirs.id}/comments`)).body.data, []);
});

test('comments are internal notes: the token is the author, pinned ones list first, then oldest first', async (t) => {
  const { id, client } = await h.workspace();
  const created = await ticket(client);
  const add = async (body: string, pinned?: boolean) => {
    const res = await client.post(`/support/tickets/${created.id}/comments`, pinned === undefined ? { body } : { body, pinned });
    t.is(res.status, 201);
    t.deepEqual(res.contractErrors, []);
    return res.body.data;
  };
  const first = await add('Checking with finance');
  const pinnedA = await add('Customer is on the enterprise plan', true);
  const second = await add('Finance confirmed the double charge', false);
  const pinnedB = await add('Escalated to billing lead', true);
  const [token] = await h.sql('select id from api_tokens where workspace_id = ?', [id]);
  t.regex(first.id, /^comment_[0-9a-z]{26}$/);
  t.like(first, { ticket_id: created.id, pinned: false, author_id: token.id, custom_fields: {} });
  const list = await client.get(`/support/tickets/${created.id}/comments`);
  t.deepEqual(list.contractErrors, []);
  t.deepEqual(list.body.data.map((c: any) => c.id), [pinnedA.id, pinnedB.id, first.id, second.id]);
  const paged: string[] = [];
  let cursor: string | null = null;
  do {
    const res: any = await client.get(`/support/tickets/${created.id}/comments?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    paged.push(...res.body.data.map((c: any) => c.id));
    cursor = res.body.next_cursor;
  } while (cursor);
  t.deepEqual(paged, [pinnedA.id, pinnedB.id, first.id, second.id]);
  t.deepEqual((await client.get(`/support/tickets/${created.id}/comments?query=FINANCE`)).body.data.map((c: any) => c.id), [first.id, second.id]);
  t.deepEqual((await events(h, id, 'support_ticket_comment.created')).map((e) => e.resource_id), [first.id, pinnedA.id, second.id, pinnedB.id]);
  // Comments do not touch the ticket, and a closed ticket still takes them.
  t.is((await client.get('/support/tickets')).body.data[0].updated_at, created.updated_at);
  await client.patch(`/support/tickets/${created.id}`, { status: 'closed' });
  t.is((await client.post(`/support/tickets/${created.id}/comments`, { body: 'Post-mortem: refund sent' })).status, 201);
  t.is((await client.post(`/support/tickets/${created.id}/comments`, { body: '' })).status, 422);
});

test('messages and comments are immutable, down to the database', async (t) => {
  const { client } = await h.workspace();
  const created = await ticket(client);
  const message = (await client.post(`/support/tickets/${created.id}/messages`, { direction: 'inbound', body: 'original' })).body.data;
  const comment = (await client.post(`/support/tickets/${created.id}/comments`, { body: 'original' })).body.data;
  await t.throwsAsync(h.sql("update support_ticket_messages set body = 'edited' where id = ?", [message.id]), { message: /immutable/ });
  await t.throwsAsync(h.sql("update support_ticket_comments set pinned = true where id = ?", [comment.id]), { message: /immutable/ });
  t.is((await client.get(`/support/tickets/${created.id}/messages`)).body.data[0].body, 'original');
});
