import test from 'ava';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { eventTypes, line, sentInvoice, sql } from './helpers.ts';

let h: Harness;
test.before(async () => { h = await bootHarness(); });
test.after.always(async () => { await h?.close(); });

const invoiceRow = async (id: string) => (await sql(h, 'select status, amount_paid_cents::text paid, total_cents::text total, paid_at from invoices where id = ?', [id]))[0];

test('recordPayment answers 201 in the contract shape and moves the invoice to partially_paid, then paid', async (t) => {
  const { client, id } = await h.workspace();
  const inv = await sentInvoice(client, 500000);
  const first = await client.post('/payments', { invoice_id: inv.id, amount_cents: 200000, method: 'bank_transfer', reference: 'WIRE-1', notes: 'half-ish' });
  t.is(first.status, 201);
  t.deepEqual(first.contractErrors, []);
  t.regex(first.body.data.id, /^pay_/);
  t.like(first.body.data, {
    invoice_id: inv.id, amount_cents: 200000, currency: 'USD', method: 'bank_transfer', reference: 'WIRE-1', notes: 'half-ish',
    invoice_status: 'partially_paid', invoice_amount_due_cents: 300000,
  });
  t.like(await invoiceRow(inv.id), { status: 'partially_paid', paid: '200000', paid_at: null });
  t.deepEqual(await eventTypes(h, id, first.body.data.id), ['payment.recorded']);

  const paidAt = '2025-03-01T12:00:00.000Z';
  const second = await client.post('/payments', { invoice_id: inv.id, amount_cents: 300000, paid_at: paidAt });
  t.is(second.status, 201);
  t.deepEqual(second.contractErrors, []);
  t.like(second.body.data, { method: 'other', reference: null, notes: null, paid_at: paidAt, invoice_status: 'paid', invoice_amount_due_cents: 0 });
  const row = await invoiceRow(inv.id);
  t.is(row.status, 'paid');
  t.is(row.paid, '500000');
  t.is(new Date(row.paid_at).toISOString(), paidAt, 'paid_at is when the settling payment was made');
  t.deepEqual(await eventTypes(h, id, inv.id), ['invoice.created', 'invoice.paid']);

  const listed = (await client.get('/invoices')).body.data[0];
  t.like(listed, { status: 'paid', amount_paid_cents: 500000, amount_due_cents: 0, paid_at: paidAt });
  const [paidEvent] = await sql(h, `select payload from outbox_events where workspace_id = ? and type = 'invoice.paid'`, [id]);
  t.like(paidEvent.payload, { id: inv.id, status: 'paid', amount_due_cents: 0 });
});

test('the currency of a payment is the invoice currency', async (t) => {
  const { client } = await h.workspace();
  const inv = (await client.post('/invoices', { status: 'sent', currency: 'EUR', line_items: [line(100)] })).body.data;
  const res = await client.post('/payments', { invoice_id: inv.id, amount_cents: 100 });
  t.is(res.body.data.currency, 'EUR');
});

test('paying more than the amount due is a 422 naming the amounts, and changes nothing', async (t) => {
  const { client, id } = await h.workspace();
  const inv = await sentInvoice(client, 1000);
  await client.post('/payments', { invoice_id: inv.id, amount_cents: 400 });
  const over = await client.post('/payments', { invoice_id: inv.id, amount_cents: 601 });
  t.is(over.status, 422);
  t.is(over.body.error.code, 'rule_violation');
  t.deepEqual(over.contractErrors, []);
  t.like(over.body.error.details, { field: 'amount_cents', amount_cents: 601, amount_due_cents: 600, total_cents: 1000, amount_paid_cents: 400 });
  t.regex(over.body.error.message, /601.*600/);
  t.like(await invoiceRow(inv.id), { status: 'partially_paid', paid: '400' });
  t.is((await sql(h, 'select count(*)::int n from payments where workspace_id = ?', [id]))[0].n, 1);

  t.is((await client.post('/payments', { invoice_id: inv.id, amount_cents: 600 })).status, 201);
  const afterPaid = await client.post('/payments', { invoice_id: inv.id, amount_cents: 1 });
  t.is(afterPaid.status, 422);
  t.like(afterPaid.body.error.details, { field: 'amount_cents', amount_due_cents: 0 });
});

test('non-positive or non-integer amounts are schema errors', async (t) => {
  const { client } = await h.workspace();
  const inv = await sentInvoice(client, 1000);
  for (const amount_cents of [0, -5, 1.5, '10']) {
    const res = await client.post('/payments', { invoice_id: inv.id, amount_cents });
    t.is(res.status, 422, String(amount_cents));
    t.is(res.body.error.code, 'validation_failed');
    t.deepEqual(res.contractErrors, []);
  }
  const noInvoice = await client.post('/payments', { amount_cents: 1 });
  t.is(noInvoice.status, 422);
  const badMethod = await client.post('/payments', { invoice_id: inv.id, amount_cents: 1, method: 'bitcoin' });
  t.is(badMethod.status, 422);
});

test('a void invoice cannot be paid (422); a draft can, since no operation sends it', async (t) => {
  const { client, id } = await h.workspace();
  // No operation voids an invoice yet; the status is set directly to test the rule.
  const voided = await sentInvoice(client, 100);
  await sql(h, `update invoices set status = 'void' where id = ?`, [voided.id]);
  const onVoid = await client.post('/payments', { invoice_id: voided.id, amount_cents: 50 });
  t.is(onVoid.status, 422);
  t.is(onVoid.body.error.code, 'rule_violation');
  t.like(onVoid.body.error.details, { field: 'invoice_id', invoice_status: 'void' });
  t.deepEqual(onVoid.contractErrors, []);
  t.like(await invoiceRow(voided.id), { status: 'void', paid: '0' });
  t.is((await sql(h, 'select count(*)::int n from payments where workspace_id = ?', [id]))[0].n, 0);
  t.false((await eventTypes(h, id)).includes('payment.recorded'));

  const draft = (await client.post('/invoices', { line_items: [line(100)] })).body.data;
  t.is(draft.status, 'draft');
  const res = await client.post('/payments', { invoice_id: draft.id, amount_cents: 50 });
  t.is(res.status, 201);
  t.deepEqual(res.contractErrors, []);
  t.is(res.body.data.invoice_status, 'partially_paid');
});

test('an unknown invoice or another workspace\'s invoice answers 404', async (t) => {
  const a = await h.workspace();
  const b = await h.workspace();
  const foreign = await sentInvoice(b.client, 100);
  for (const invoice_id of ['inv_missing', foreign.id]) {
    const res = await a.client.post('/payments', { invoice_id, amount_cents: 10 });
    t.is(res.status, 404);
    t.deepEqual(res.body.error.details, { resource: 'invoice', id: invoice_id });
    t.deepEqual(res.contractErrors, []);
  }
  t.like(await invoiceRow(foreign.id), { status: 'sent', paid: '0' });
});

test('concurrent payments never overpay: the accepted ones fit the total, the rest get 422', async (t) => {
  const { client, id } = await h.workspace();
  const inv = await sentInvoice(client, 10000);
  // 9 × 1500 + 1000 = 14500 against 10000. Applied one after another in any order, exactly six of
  // 1500 and the 1000 fit (10000); the other three find less than 1500 due.
  const amounts = [1500, 1500, 1500, 1500, 1500, 1500, 1500, 1500, 1500, 1000];
  const results = await Promise.all(amounts.map((amount_cents) => client.post('/payments', { invoice_id: inv.id, amount_cents })));
  t.true(results.every((r) => r.status === 201 || r.status === 422), results.map((r) => r.status).join(','));
  t.true(results.every((r) => r.contractErrors.length === 0));
  const accepted = results.filter((r) => r.status === 201);
  const acceptedSum = accepted.reduce((s, r) => s + r.body.data.amount_cents, 0);
  t.is(acceptedSum, 10000, 'never more than the total, and a payment is refused only when it no longer fits');
  t.is(accepted.length, 7);
  for (const r of results.filter((x) => x.status === 422)) t.is(r.body.error.details.field, 'amount_cents');
  const stored = (await sql(h, 'select coalesce(sum(amount_cents), 0)::text s, count(*)::int n from payments where invoice_id = ?', [inv.id]))[0];
  const row = await invoiceRow(inv.id);
  t.is(row.paid, stored.s, 'amount_paid equals the sum of stored payments');
  t.is(Number(stored.s), acceptedSum);
  t.is(stored.n, accepted.length);
  t.is(row.status, 'paid');
  // Each accepted payment saw the amount due left by those before it.
  const dues = accepted.map((r) => r.body.data.invoice_amount_due_cents).sort((x, y) => y - x);
  t.is(new Set(dues).size, dues.length);
  t.is(dues[dues.length - 1], 10000 - acceptedSum);
  t.is((await sql(h, `select count(*)::int n from outbox_events where workspace_id = ? and type = 'payment.recorded'`, [id]))[0].n, accepted.length);
});

test('concurrent payments that exactly settle the invoice emit invoice.paid once', async (t) => {
  const { client, id } = await h.workspace();
  const inv = await sentInvoice(client, 1000);
  const results = await Promise.all(Array.from({ length: 10 }, () => client.post('/payments', { invoice_id: inv.id, amount_cents: 100 })));
  t.true(results.every((r) => r.status === 201));
  t.like(await invoiceRow(inv.id), { status: 'paid', paid: '1000' });
  t.is(results.filter((r) => r.body.data.invoice_status === 'paid').length, 1);
  t.deepEqual((await eventTypes(h, id, inv.id)), ['invoice.created', 'invoice.paid']);
});

test('an Idempotency-Key makes a retried payment count once', async (t) => {
  const { client } = await h.workspace();
  const inv = await sentInvoice(client, 1000);
  const headers = { 'Idempotency-Key': 'pay-1' };
  const first = await client.post('/payments', { invoice_id: inv.id, amount_cents: 700 }, { headers });
  const again = await client.post('/payments', { invoice_id: inv.id, amount_cents: 700 }, { headers });
  t.is(again.status, 201);
  t.is(again.headers.get('idempotent-replayed'), 'true');
  t.deepEqual(again.body.data, first.body.data);
  t.like(await invoiceRow(inv.id), { paid: '700' });
});
