import test from 'ava';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import type { ApiClient } from '../helpers/client.ts';
import { allPages, eventTypes, sql } from './helpers.ts';
import { sql as rawSql } from '../../platform/db.ts';

let h: Harness;
test.before(async () => { h = await bootHarness(); });
test.after.always(async () => { await h?.close(); });

const entry = (status: string, debit: [string, number][], credit: [string, number][], extra: object = {}) => ({
  status,
  lines: [...debit.map(([account_id, debit_cents]) => ({ account_id, debit_cents })), ...credit.map(([account_id, credit_cents]) => ({ account_id, credit_cents }))],
  ...extra,
});

async function ledger(client: ApiClient) {
  const acct = async (code: string, type: string) => (await client.post('/accounting/accounts', { code, name: `Account ${code}`, type })).body.data.id as string;
  return { cash: await acct('1000', 'asset'), ar: await acct('1100', 'asset'), revenue: await acct('4000', 'revenue') };
}

test('createJournalEntry answers 201 in the contract shape; posted entries emit journal_entry.posted', async (t) => {
  const { client, id } = await h.workspace();
  const { cash, ar } = await ledger(client);
  const res = await client.post('/accounting/journal-entries', {
    status: 'posted', entry_date: '2025-01-15', memo: 'Customer paid', reference: 'INV-1001',
    lines: [{ account_id: cash, debit_cents: 10000, description: 'Bank' }, { account_id: ar, credit_cents: 10000 }],
  });
  t.is(res.status, 201);
  t.deepEqual(res.contractErrors, []);
  const je = res.body.data;
  t.regex(je.id, /^je_/);
  t.like(je, { status: 'posted', entry_date: '2025-01-15', memo: 'Customer paid', reference: 'INV-1001', total_debit_cents: 10000, total_credit_cents: 10000 });
  t.is(typeof je.posted_at, 'string');
  t.deepEqual(je.lines.map((l: any) => [l.account_id, l.debit_cents, l.credit_cents, l.description]), [[cash, 10000, 0, 'Bank'], [ar, 0, 10000, null]]);
  t.true(je.lines.every((l: any) => /^jl_/.test(l.id)));
  t.deepEqual(await eventTypes(h, id, je.id), ['journal_entry.created', 'journal_entry.posted']);

  const draft = await client.post('/accounting/journal-entries', { lines: [{ account_id: cash, debit_cents: 5 }, { account_id: ar, credit_cents: 5 }] });
  t.is(draft.status, 201);
  t.deepEqual(draft.contractErrors, []);
  t.like(draft.body.data, { status: 'draft', posted_at: null, memo: null, reference: null, entry_date: new Date().toISOString().slice(0, 10) });
  t.deepEqual(await eventTypes(h, id, draft.body.data.id), ['journal_entry.created']);
});

test('an unbalanced entry is a 422 on lines naming both sums, and nothing is stored', async (t) => {
  const { client, id } = await h.workspace();
  const { cash, ar, revenue } = await ledger(client);
  const res = await client.post('/accounting/journal-entries', entry('posted', [[cash, 10000]], [[ar, 6000], [revenue, 3000]]));
  t.is(res.status, 422);
  t.is(res.body.error.code, 'rule_violation');
  t.deepEqual(res.body.error.details, { field: 'lines', total_debit_cents: 10000, total_credit_cents: 9000 });
  t.regex(res.body.error.message, /10000.*9000/);
  t.deepEqual(res.contractErrors, []);
  t.deepEqual(await sql(h, 'select id from journal_entries where workspace_id = ?', [id]), []);
  t.false((await eventTypes(h, id)).some((e) => e.startsWith('journal_entry')));
});

test('lines need exactly one positive side and there must be at least two (422)', async (t) => {
  const { client } = await h.workspace();
  const { cash, ar } = await ledger(client);
  for (const lines of [
    [{ account_id: cash, debit_cents: 100 }],
    [],
    [{ account_id: cash, debit_cents: 100, credit_cents: 100 }, { account_id: ar, credit_cents: 0 }],
    [{ account_id: cash }, { account_id: ar, credit_cents: 100 }],
    [{ account_id: cash, debit_cents: 0 }, { account_id: ar, credit_cents: 0 }],
    [{ account_id: cash, debit_cents: -100 }, { account_id: ar, credit_cents: -100 }],
    [{ account_id: cash, debit_cents: 1.5 }, { account_id: ar, credit_cents: 1.5 }],
  ]) {
    const res = await client.post('/accounting/journal-entries', { status: 'posted', lines });
    t.is(res.status, 422, JSON.stringify(lines));
    t.is(res.body.error.code, 'validation_failed');
    t.deepEqual(res.contractErrors, []);
  }
  const badStatus = await client.post('/accounting/journal-entries', { status: 'void', lines: [{ account_id: cash, debit_cents: 1 }, { account_id: ar, credit_cents: 1 }] });
  t.is(badStatus.status, 422);
});

test('every line\'s account must exist in the workspace, else 404', async (t) => {
  const { client, id } = await h.workspace();
  const other = await h.workspace();
  const { cash } = await ledger(client);
  const foreign = (await other.client.post('/accounting/accounts', { code: '1000', name: 'Theirs', type: 'asset' })).body.data.id;
  for (const missing of ['acct_missing', foreign]) {
    const res = await client.post('/accounting/journal-entries', entry('posted', [[cash, 100]], [[missing, 100]]));
    t.is(res.status, 404);
    t.deepEqual(res.body.error.details, { resource: 'accounting_account', id: missing });
    t.deepEqual(res.contractErrors, []);
  }
  t.deepEqual(await sql(h, 'select id from journal_entries where workspace_id = ?', [id]), []);
});

test('totals above the 10^13-cent maximum are a 422 rule violation', async (t) => {
  const { client } = await h.workspace();
  const { cash, ar } = await ledger(client);
  const res = await client.post('/accounting/journal-entries',
    entry('posted', [[cash, 9_000_000_000_000], [cash, 9_000_000_000_000]], [[ar, 9_000_000_000_000], [ar, 9_000_000_000_000]]));
  t.is(res.status, 422);
  t.is(res.body.error.code, 'rule_violation');
  t.deepEqual(res.contractErrors, []);
});

test('the list is newest first by entry_date then creation, filters status and query, and pages', async (t) => {
  const { client } = await h.workspace();
  const { cash, revenue } = await ledger(client);
  const make = async (entry_date: string, status: string, memo: string, reference?: string) =>
    (await client.post('/accounting/journal-entries', entry(status, [[cash, 100]], [[revenue, 100]], { entry_date, memo, ...(reference ? { reference } : {}) }))).body.data.id;
  const e1 = await make('2025-01-10', 'posted', 'January rent', 'R-1');
  const e2 = await make('2025-03-01', 'draft', 'March sale');
  const e3 = await make('2025-01-10', 'posted', 'Second on the tenth');
  const e4 = await make('2024-12-31', 'posted', 'Year end', 'YE-2024');
  const e5 = await make('2025-02-01', 'draft', 'February accrual');
  const ids = async (q: string) => {
    const res = await client.get(`/accounting/journal-entries${q ? `?${q}` : ''}`);
    t.is(res.status, 200);
    t.deepEqual(res.contractErrors, []);
    return res.body.data.map((e: any) => e.id);
  };
  t.deepEqual(await ids(''), [e2, e5, e3, e1, e4]);
  t.deepEqual(await ids('status=posted'), [e3, e1, e4]);
  t.deepEqual(await ids('status=draft'), [e2, e5]);
  t.deepEqual(await ids('query=rent'), [e1]);
  t.deepEqual(await ids('query=ye-2024'), [e4], 'query matches the reference too');
  t.deepEqual(await ids('query=sale&status=posted'), []);
  const paged = await allPages(client, '/accounting/journal-entries', 2, (res) => {
    t.is(res.status, 200);
    t.deepEqual(res.contractErrors, []);
    t.true(res.body.data.length <= 2);
  });
  t.deepEqual(paged.map((e) => e.id), [e2, e5, e3, e1, e4]);
  t.true(paged.every((e) => e.lines.length === 2));
  const postedPaged = await allPages(client, '/accounting/journal-entries?status=posted', 1, () => {});
  t.deepEqual(postedPaged.map((e) => e.id), [e3, e1, e4]);
  const first = await client.get('/accounting/journal-entries?limit=2');
  const bad = await client.get(`/accounting/journal-entries?cursor=${encodeURIComponent(`${first.body.next_cursor}x`)}`);
  t.is(bad.status, 422);
  t.is(bad.body.error.code, 'invalid_cursor');
  t.deepEqual(bad.contractErrors, []);
  const badStatus = await client.get('/accounting/journal-entries?status=void');
  t.is(badStatus.status, 422);
});

test('journal entries are confined to their workspace', async (t) => {
  const a = await h.workspace();
  const b = await h.workspace();
  const { cash, revenue } = await ledger(a.client);
  await a.client.post('/accounting/journal-entries', entry('posted', [[cash, 1]], [[revenue, 1]]));
  t.deepEqual((await b.client.get('/accounting/journal-entries')).body.data, []);
});

test('a posted entry cannot change: the database refuses updates, deletes and added lines', async (t) => {
  const { client } = await h.workspace();
  const { cash, ar, revenue } = await ledger(client);
  const posted = (await client.post('/accounting/journal-entries', entry('posted', [[cash, 100]], [[ar, 100]]))).body.data;
  const attempts: [string, unknown[]][] = [
    [`update journal_entries set memo = 'changed' where id = ?`, [posted.id]],
    [`update journal_entries set status = 'draft', posted_at = null where id = ?`, [posted.id]],
    [`delete from journal_entries where id = ?`, [posted.id]],
    [`update journal_lines set debit_cents = 999 where entry_id = ?`, [posted.id]],
    [`delete from journal_lines where entry_id = ?`, [posted.id]],
    [`insert into journal_lines (id, workspace_id, entry_id, position, account_id, debit_cents, credit_cents)
      select 'jl_extra', workspace_id, id, 9, ?, 1, 0 from journal_entries where id = ?`, [revenue, posted.id]],
  ];
  for (const [query, params] of attempts) {
    const error = await t.throwsAsync(sql(h, query, params), undefined, query);
    t.regex(error!.message, /is posted/, query);
  }
  const listed = (await client.get('/accounting/journal-entries')).body.data[0];
  t.deepEqual(listed, posted, 'the entry is exactly as created');
});

test('the database refuses an unbalanced entry at commit, whatever writes it', async (t) => {
  const { id, client } = await h.workspace();
  const { cash, ar } = await ledger(client);
  const em = h.deps.orm.em.fork();
  const write = (lines: [number, number][]) => em.transactional(async (tx) => {
    const conn = tx.getConnection();
    const ctx = tx.getTransactionContext();
    await conn.execute(`insert into journal_entries (id, workspace_id, status, entry_date, total_debit_cents, total_credit_cents)
      values ('je_raw${lines.length}', ?, 'draft', current_date, 100, 100)`, [id], 'run', ctx);
    for (const [i, [debit, credit]] of lines.entries()) {
      await conn.execute(`insert into journal_lines (id, workspace_id, entry_id, position, account_id, debit_cents, credit_cents)
        values (?, ?, ?, ?, ?, ?, ?)`, [`jl_raw${lines.length}_${i}`, id, `je_raw${lines.length}`, i, i === 0 ? cash : ar, debit, credit], 'run', ctx);
    }
  });
  await t.throwsAsync(write([[100, 0], [0, 90]]), { message: /unbalanced/ });
  await t.throwsAsync(write([[100, 0]]), { message: /unbalanced|incomplete/ }, 'one line is not an entry');
  await t.notThrowsAsync(write([[100, 0], [0, 60], [0, 40]]));
  t.deepEqual((await sql(h, 'select id from journal_entries where workspace_id = ?', [id])).map((r) => r.id), ['je_raw3']);

  // A line added later to an existing draft entry is checked too.
  const draft = (await client.post('/accounting/journal-entries', entry('draft', [[cash, 50]], [[ar, 50]]))).body.data;
  await t.throwsAsync(sql(h, `insert into journal_lines (id, workspace_id, entry_id, position, account_id, debit_cents, credit_cents)
    values ('jl_late', ?, ?, 5, ?, 10, 0)`, [id, draft.id, cash]), { message: /unbalanced/ });
  await t.throwsAsync(sql(h, `delete from journal_lines where id = ?`, [draft.lines[1].id]), { message: /unbalanced|incomplete/ });
  t.deepEqual((await client.get('/accounting/journal-entries')).body.data.find((e: any) => e.id === draft.id), draft);
});

test('concurrent balanced and unbalanced entries: only the balanced ones exist and balances add up', async (t) => {
  const { client, id } = await h.workspace();
  const { cash, ar, revenue } = await ledger(client);
  const bodies = Array.from({ length: 20 }, (_, i) => i % 2 === 0
    ? entry('posted', [[cash, 1000 + i]], [[revenue, 600], [ar, 400 + i]])
    : entry('posted', [[cash, 1000 + i]], [[revenue, 600], [ar, 399 + i]]));
  const results = await Promise.all(bodies.map((b) => client.post('/accounting/journal-entries', b)));
  t.true(results.every((r) => r.contractErrors.length === 0));
  t.deepEqual(results.map((r) => r.status), bodies.map((_, i) => (i % 2 === 0 ? 201 : 422)));
  const stored = await sql(h, `select id, total_debit_cents::text d, total_credit_cents::text c from journal_entries where workspace_id = ?`, [id]);
  t.is(stored.length, 10);
  t.true(stored.every((r) => r.d === r.c));
  const unbalancedInDb = await sql(h, `select entry_id from journal_lines where workspace_id = ? group by entry_id
    having sum(debit_cents) <> sum(credit_cents)`, [id]);
  t.deepEqual(unbalancedInDb, []);
  const expectedCash = bodies.reduce((s, _, i) => s + (i % 2 === 0 ? 1000 + i : 0), 0);
  const balances = Object.fromEntries((await client.get('/accounting/accounts')).body.data.map((a: any) => [a.id, a.balance_cents]));
  t.is(balances[cash], expectedCash);
  t.is(balances[revenue], 600 * 10);
  t.is(balances[ar], -(expectedCash - 6000), 'a debit-normal account credited shows a negative balance');
});

test('the reference examples work in sequence', async (t) => {
  const { client } = await h.workspace();
  const revenue = await client.post('/accounting/accounts', { code: '4000', name: 'Services revenue', type: 'revenue' });
  t.is(revenue.status, 201);
  t.like(revenue.body.data, { code: '4000', name: 'Services revenue', type: 'revenue', balance_cents: 0 });
  const cash = (await client.post('/accounting/accounts', { code: '1000', name: 'Cash', type: 'asset' })).body.data.id;
  const ar = (await client.post('/accounting/accounts', { code: '1100', name: 'Accounts receivable', type: 'asset' })).body.data.id;
  const je = await client.post('/accounting/journal-entries', {
    status: 'posted', lines: [{ account_id: cash, debit_cents: 10000 }, { account_id: ar, credit_cents: 10000 }],
  });
  t.is(je.status, 201);
  t.deepEqual(je.contractErrors, []);
  const invoice = await client.post('/invoices', { invoice_number: 'INV-1001', line_items: [{ kind: 'service', name: 'Website redesign', unit_amount_cents: 500000 }] });
  t.is(invoice.status, 201);
  t.like(invoice.body.data, { invoice_number: 'INV-1001', status: 'draft', total_cents: 500000, amount_due_cents: 500000 });
  const payment = await client.post('/payments', { invoice_id: invoice.body.data.id, amount_cents: 250000 });
  t.is(payment.status, 201);
  t.like(payment.body.data, { amount_cents: 250000, invoice_status: 'partially_paid', invoice_amount_due_cents: 250000 });
  t.deepEqual((await client.get('/invoices')).body.data.map((i: any) => i.status), ['partially_paid']);
  t.deepEqual((await client.get('/accounting/journal-entries')).body.data.map((e: any) => e.status), ['posted']);
});

test('no account balance can leave the exact integer range: a posting that would is a 422 naming the account', async (t) => {
  const { client, id } = await h.workspace();
  const { cash, revenue } = await ledger(client);
  // A balance already near 2^53 - 1 cents (what about 900 postings of the largest amount would build).
  const near = Number.MAX_SAFE_INTEGER - 1_000;
  await h.inTx(id, async (ctx) => {
    await rawSql(ctx.em,
      `insert into journal_lines (id, workspace_id, entry_id, position, account_id, debit_cents, credit_cents) values
         ('jl_near_1', ?, 'je_near', 0, ?, ?, 0), ('jl_near_2', ?, 'je_near', 1, ?, 0, ?)`,
      [id, cash, near, id, revenue, near]);
    await rawSql(ctx.em,
      `insert into journal_entries (id, workspace_id, status, entry_date, total_debit_cents, total_credit_cents, posted_at)
       values ('je_near', ?, 'posted', '2025-01-01', ?, ?, now())`, [id, near, near]);
  });
  const accounts = (await client.get('/accounting/accounts')).body.data;
  t.is(accounts.find((a: any) => a.id === cash).balance_cents, near, 'served exactly');

  const over = await client.post('/accounting/journal-entries', entry('posted', [[cash, 5_000]], [[revenue, 5_000]]));
  t.is(over.status, 422);
  t.deepEqual(over.contractErrors, []);
  t.like(over.body.error, { code: 'rule_violation', details: { field: 'lines', account_id: cash } });
  // A draft does not move balances; a posting that stays inside the limit goes through.
  t.is((await client.post('/accounting/journal-entries', entry('draft', [[cash, 5_000]], [[revenue, 5_000]]))).status, 201);
  t.is((await client.post('/accounting/journal-entries', entry('posted', [[revenue, 5_000]], [[cash, 5_000]]))).status, 201);
  t.deepEqual((await sql(h, `select count(*)::int as n from journal_entries where workspace_id = ? and status = 'posted'`, [id]))[0], { n: 2 });
});
