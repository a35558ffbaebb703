import test from 'ava';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { allPages, eventTypes, line, makeDeal, sql } from './helpers.ts';

let h: Harness;
test.before(async () => { h = await bootHarness(); });
test.after.always(async () => { await h?.close(); });

test('createInvoice answers 201 in the contract shape with server-computed amounts', async (t) => {
  const { client, id } = await h.workspace();
  const res = await client.post('/invoices', {
    invoice_number: 'INV-1001',
    issue_date: '2025-01-15',
    due_date: '2025-02-14',
    notes: 'Thanks',
    line_items: [
      { kind: 'service', name: 'Website redesign', unit_amount_cents: 500000 },
      { kind: 'product', name: 'Licence', description: 'Per seat', quantity: 3, unit_amount_cents: 1999 },
    ],
  });
  t.is(res.status, 201);
  t.deepEqual(res.contractErrors, []);
  const inv = res.body.data;
  t.regex(inv.id, /^inv_/);
  t.like(inv, {
    invoice_number: 'INV-1001', status: 'draft', currency: 'USD', company_id: null, contact_id: null, deal_id: null,
    issue_date: '2025-01-15', due_date: '2025-02-14', notes: 'Thanks', paid_at: null,
    subtotal_cents: 505997, total_cents: 505997, amount_paid_cents: 0, amount_due_cents: 505997,
  });
  t.deepEqual(inv.line_items.map((l: any) => [l.kind, l.name, l.description, l.quantity, l.unit_amount_cents, l.amount_cents]), [
    ['service', 'Website redesign', null, 1, 500000, 500000],
    ['product', 'Licence', 'Per seat', 3, 1999, 5997],
  ]);
  t.true(inv.line_items.every((l: any) => /^li_/.test(l.id)));
  t.deepEqual(await eventTypes(h, id, inv.id), ['invoice.created']);
  const [event] = await sql(h, `select payload from outbox_events where workspace_id = ? and type = 'invoice.created'`, [id]);
  t.is(event.payload.total_cents, 505997);
  t.is(event.payload.line_items.length, 2);
});

test('issue_date defaults to today (UTC) and currency to USD; status may be sent', async (t) => {
  const { client } = await h.workspace();
  const res = await client.post('/invoices', { status: 'sent', currency: 'EUR', line_items: [line(100)] });
  t.is(res.status, 201);
  t.is(res.body.data.status, 'sent');
  t.is(res.body.data.currency, 'EUR');
  t.is(res.body.data.issue_date, new Date().toISOString().slice(0, 10));
  const usd = await client.post('/invoices', { line_items: [line(100)] });
  t.is(usd.body.data.currency, 'USD');
});

test('amounts are never taken from the client: totals and unknown statuses are refused by the schema', async (t) => {
  const { client, id } = await h.workspace();
  for (const body of [
    { line_items: [line(100)], total_cents: 1 },
    { line_items: [line(100)], amount_paid_cents: 100 },
    { line_items: [{ ...line(100), amount_cents: 5 }] },
    { line_items: [line(100)], status: 'paid' },
    { line_items: [] },
    { line_items: [line(100, { quantity: 0 })] },
    { line_items: [line(-1)] },
    { line_items: [{ name: 'No kind', unit_amount_cents: 1 }] },
    { line_items: [line(100)], currency: 'usd' },
    {},
  ]) {
    const res = await client.post('/invoices', body);
    t.is(res.status, 422, JSON.stringify(body));
    t.is(res.body.error.code, 'validation_failed');
    t.deepEqual(res.contractErrors, []);
  }
  t.deepEqual(await sql(h, 'select id from invoices where workspace_id = ?', [id]), []);
});

test('a line or total above the 10^13-cent maximum is a 422 rule violation naming the field', async (t) => {
  const { client } = await h.workspace();
  const big = await client.post('/invoices', { line_items: [line(10_000_000_000_000, { quantity: 1_000_000 })] });
  t.is(big.status, 422);
  t.is(big.body.error.code, 'rule_violation');
  t.is(big.body.error.details.field, 'line_items.0');
  t.deepEqual(big.contractErrors, []);
  const sum = await client.post('/invoices', { line_items: [line(9_000_000_000_000), line(2_000_000_000_000)] });
  t.is(sum.status, 422);
  t.is(sum.body.error.details.field, 'line_items');
  const max = await client.post('/invoices', { line_items: [line(5_000_000_000_000), line(5_000_000_000_000)] });
  t.is(max.status, 201);
  t.is(max.body.data.total_cents, 10_000_000_000_000);
});

test('omitted invoice numbers are generated per workspace in sequence, skipping numbers already taken', async (t) => {
  const a = await h.workspace();
  const b = await h.workspace();
  const number = async (client: typeof a.client, body: object = {}) => (await client.post('/invoices', { line_items: [line(1)], ...body })).body.data.invoice_number;
  t.is(await number(a.client), 'INV-000001');
  t.is(await number(a.client, { invoice_number: 'inv-000002' }), 'inv-000002');
  t.is(await number(a.client), 'INV-000003', 'the taken number (in any case) is skipped');
  t.is(await number(b.client), 'INV-000001', 'another workspace has its own sequence');
});

test('concurrent creations without a number all get distinct numbers', async (t) => {
  const { client } = await h.workspace();
  const results = await Promise.all(Array.from({ length: 12 }, () => client.post('/invoices', { line_items: [line(1)] })));
  t.true(results.every((r) => r.status === 201));
  const numbers = results.map((r) => r.body.data.invoice_number).sort();
  t.deepEqual(numbers, Array.from({ length: 12 }, (_, i) => `INV-${String(i + 1).padStart(6, '0')}`));
});

test('a duplicate invoice_number (any case) answers 409 with the existing id, also under concurrency', async (t) => {
  const { client, id } = await h.workspace();
  const first = await client.post('/invoices', { invoice_number: 'A-100', line_items: [line(1)] });
  const dup = await client.post('/invoices', { invoice_number: 'a-100', line_items: [line(1)] });
  t.is(dup.status, 409);
  t.is(dup.body.error.code, 'already_exists');
  t.deepEqual(dup.body.error.details, { resource: 'invoice', field: 'invoice_number', existing_id: first.body.data.id });
  t.deepEqual(dup.contractErrors, []);
  const racers = await Promise.all(Array.from({ length: 8 }, () => client.post('/invoices', { invoice_number: 'RACE-1', line_items: [line(1)] })));
  t.is(racers.filter((r) => r.status === 201).length, 1);
  t.is(racers.filter((r) => r.status === 409).length, 7);
  t.is((await sql(h, `select count(*)::int n from invoices where workspace_id = ? and invoice_number = 'RACE-1'`, [id]))[0].n, 1);
});

test('linked company, contact and deal must exist in the workspace, else 404', async (t) => {
  const { client, id } = await h.workspace();
  const other = await h.workspace();
  const company = (await client.post('/companies', { name: 'Acme' })).body.data;
  const contact = (await client.post('/contacts', { name: 'Jane' })).body.data;
  const deal = await makeDeal(client, 'Big deal');
  const foreignCompany = (await other.client.post('/companies', { name: 'Foreign' })).body.data;
  const foreignContact = (await other.client.post('/contacts', { name: 'Foreign' })).body.data;
  const foreignDeal = await makeDeal(other.client, 'Foreign deal');

  const linked = await client.post('/invoices', { company_id: company.id, contact_id: contact.id, deal_id: deal.id, line_items: [line(1)] });
  t.is(linked.status, 201);
  t.like(linked.body.data, { company_id: company.id, contact_id: contact.id, deal_id: deal.id });

  for (const [field, value, resource] of [
    ['company_id', 'com_missing', 'company'], ['company_id', foreignCompany.id, 'company'],
    ['contact_id', 'con_missing', 'contact'], ['contact_id', foreignContact.id, 'contact'],
    ['deal_id', 'deal_missing', 'deal'], ['deal_id', foreignDeal.id, 'deal'],
  ]) {
    const res = await client.post('/invoices', { [field!]: value, line_items: [line(1)] });
    t.is(res.status, 404, `${field} ${value}`);
    t.is(res.body.error.code, 'not_found');
    t.deepEqual(res.body.error.details, { resource, id: value });
    t.deepEqual(res.contractErrors, []);
  }
  t.is((await sql(h, 'select count(*)::int n from invoices where workspace_id = ?', [id]))[0].n, 1);
  t.deepEqual((await eventTypes(h, id)).filter((e) => e.startsWith('invoice')), ['invoice.created']);
});

test('listInvoices filters by status, company, contact and deal', async (t) => {
  const { client } = await h.workspace();
  const company = (await client.post('/companies', { name: 'Acme' })).body.data;
  const contact = (await client.post('/contacts', { name: 'Jane' })).body.data;
  const deal = await makeDeal(client, 'Deal');
  const make = async (invoice_number: string, extra: object) =>
    (await client.post('/invoices', { invoice_number, line_items: [line(100)], ...extra })).body.data;
  await make('I-1', { company_id: company.id });
  await make('I-2', { contact_id: contact.id, status: 'sent' });
  await make('I-3', { deal_id: deal.id, company_id: company.id, status: 'sent' });
  await make('I-4', {});
  const numbers = async (q: string) => {
    const res = await client.get(`/invoices?${q}`);
    t.is(res.status, 200);
    t.deepEqual(res.contractErrors, []);
    return res.body.data.map((i: any) => i.invoice_number);
  };
  t.deepEqual(await numbers(''), ['I-4', 'I-3', 'I-2', 'I-1'], 'newest first');
  t.deepEqual(await numbers('status=sent'), ['I-3', 'I-2']);
  t.deepEqual(await numbers('status=draft'), ['I-4', 'I-1']);
  t.deepEqual(await numbers('status=paid'), []);
  t.deepEqual(await numbers(`company_id=${company.id}`), ['I-3', 'I-1']);
  t.deepEqual(await numbers(`contact_id=${contact.id}`), ['I-2']);
  t.deepEqual(await numbers(`deal_id=${deal.id}`), ['I-3']);
  t.deepEqual(await numbers(`company_id=${company.id}&status=draft`), ['I-1']);
  t.deepEqual(await numbers('company_id=com_unknown'), []);
  const bad = await client.get('/invoices?status=unpaid');
  t.is(bad.status, 422);
  t.deepEqual(bad.contractErrors, []);
  const listed = (await client.get('/invoices?status=sent')).body.data[0];
  t.is(listed.line_items.length, 1, 'list items carry their line items');
  t.is(listed.amount_due_cents, 100);
});

test('listInvoices pages with a signed cursor; a tampered cursor is a 422', async (t) => {
  const { client } = await h.workspace();
  for (let i = 0; i < 7; i++) await client.post('/invoices', { line_items: [line(i + 1), line(1)] });
  const rows = await allPages(client, '/invoices', 3, (res) => {
    t.is(res.status, 200);
    t.deepEqual(res.contractErrors, []);
    t.true(res.body.data.length <= 3);
  });
  t.is(rows.length, 7);
  t.is(new Set(rows.map((r) => r.id)).size, 7);
  t.deepEqual(rows.map((r) => r.invoice_number), Array.from({ length: 7 }, (_, i) => `INV-${String(7 - i).padStart(6, '0')}`));
  t.true(rows.every((r) => r.line_items.length === 2));
  const first = await client.get('/invoices?limit=2');
  const bad = await client.get(`/invoices?cursor=${encodeURIComponent(first.body.next_cursor.slice(0, -2) + 'xx')}`);
  t.is(bad.status, 422);
  t.is(bad.body.error.code, 'invalid_cursor');
  t.deepEqual(bad.contractErrors, []);
});

test('invoices are confined to their workspace; the module and scopes gate them', async (t) => {
  const a = await h.workspace();
  const b = await h.workspace();
  await a.client.post('/invoices', { line_items: [line(1)] });
  t.deepEqual((await b.client.get('/invoices')).body.data, []);
  const readOnly = await h.workspace({ scopes: ['crm:read'] });
  const denied = await readOnly.client.post('/invoices', { line_items: [line(1)] });
  t.is(denied.status, 403);
  t.is(denied.body.error.code, 'insufficient_scope');
  t.deepEqual(denied.contractErrors, []);
  const noCrm = await h.workspace({ enabled_modules: ['tasks'] });
  const disabled = await noCrm.client.get('/invoices');
  t.is(disabled.status, 403);
  t.is(disabled.body.error.code, 'module_not_enabled');
  t.deepEqual(disabled.contractErrors, []);
});

test('an Idempotency-Key replays the created invoice and creates it once', async (t) => {
  const { client, id } = await h.workspace();
  const headers = { 'Idempotency-Key': 'inv-once' };
  const first = await client.post('/invoices', { line_items: [line(10)] }, { headers });
  const again = await client.post('/invoices', { line_items: [line(10)] }, { headers });
  t.is(again.status, 201);
  t.is(again.headers.get('idempotent-replayed'), 'true');
  t.deepEqual(again.body.data, first.body.data);
  t.deepEqual(again.contractErrors, []);
  t.is((await sql(h, 'select count(*)::int n from invoices where workspace_id = ?', [id]))[0].n, 1);
});
