import test from 'ava';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { allPages, eventTypes, sql } from './helpers.ts';

let h: Harness;
test.before(async () => { h = await bootHarness(); });
test.after.always(async () => { await h?.close(); });

test('createAccountingAccount answers 201 in the contract shape with a zero balance', async (t) => {
  const { client, id } = await h.workspace();
  const res = await client.post('/accounting/accounts', { code: '4000', name: 'Services revenue', type: 'revenue', description: 'Consulting' });
  t.is(res.status, 201);
  t.deepEqual(res.contractErrors, []);
  t.regex(res.body.data.id, /^acct_/);
  t.like(res.body.data, { code: '4000', name: 'Services revenue', type: 'revenue', description: 'Consulting', balance_cents: 0 });
  t.deepEqual(await eventTypes(h, id, res.body.data.id), ['accounting_account.created']);
  const plain = await client.post('/accounting/accounts', { code: '1000', name: 'Cash', type: 'asset' });
  t.is(plain.body.data.description, null);
});

test('schema violations answer 422 naming the field', async (t) => {
  const { client } = await h.workspace();
  for (const [body, field] of [
    [{ code: '1000', name: 'Cash', type: 'cash' }, 'type'],
    [{ code: '', name: 'Cash', type: 'asset' }, 'code'],
    [{ code: '-x', name: 'Cash', type: 'asset' }, 'code'],
    [{ code: '1000', type: 'asset' }, 'name'],
    [{ code: '1000', name: 'Cash', type: 'asset', balance_cents: 5 }, 'balance_cents'],
  ] as const) {
    const res = await client.post('/accounting/accounts', body);
    t.is(res.status, 422, JSON.stringify(body));
    t.is(res.body.error.code, 'validation_failed');
    t.true(JSON.stringify(res.body.error.details.fields).includes(field), JSON.stringify(res.body.error.details));
    t.deepEqual(res.contractErrors, []);
  }
});

test('code is unique per workspace regardless of case: 409 with the existing id, also under concurrency', async (t) => {
  const { client, id } = await h.workspace();
  const other = await h.workspace();
  const first = await client.post('/accounting/accounts', { code: 'AR-1', name: 'Receivables', type: 'asset' });
  const dup = await client.post('/accounting/accounts', { code: 'ar-1', name: 'Again', type: 'asset' });
  t.is(dup.status, 409);
  t.deepEqual(dup.body.error.details, { resource: 'accounting_account', field: 'code', existing_id: first.body.data.id });
  t.deepEqual(dup.contractErrors, []);
  t.is((await other.client.post('/accounting/accounts', { code: 'AR-1', name: 'Theirs', type: 'asset' })).status, 201, 'another workspace may reuse it');
  const racers = await Promise.all(Array.from({ length: 8 }, () => client.post('/accounting/accounts', { code: '9999', name: 'Race', type: 'expense' })));
  t.is(racers.filter((r) => r.status === 201).length, 1);
  t.is(racers.filter((r) => r.status === 409).length, 7);
  t.is((await sql(h, 'select count(*)::int n from accounting_accounts where workspace_id = ?', [id]))[0].n, 2);
});

test('the list is ordered by code and filters by type and query (code or name)', async (t) => {
  const { client } = await h.workspace();
  for (const [code, name, type] of [['4000', 'Services revenue', 'revenue'], ['1000', 'Cash', 'asset'], ['1100', 'Accounts receivable', 'asset'],
    ['2000', 'Accounts payable', 'liability'], ['3000', 'Owner equity', 'equity'], ['5000', 'Rent', 'expense']]) {
    t.is((await client.post('/accounting/accounts', { code, name, type })).status, 201);
  }
  const codes = async (q: string) => {
    const res = await client.get(`/accounting/accounts${q ? `?${q}` : ''}`);
    t.is(res.status, 200);
    t.deepEqual(res.contractErrors, []);
    return res.body.data.map((a: any) => a.code);
  };
  t.deepEqual(await codes(''), ['1000', '1100', '2000', '3000', '4000', '5000']);
  t.deepEqual(await codes('type=asset'), ['1000', '1100']);
  t.deepEqual(await codes('query=accounts'), ['1100', '2000']);
  t.deepEqual(await codes('query=RENT'), ['5000']);
  t.deepEqual(await codes('query=40'), ['4000']);
  t.deepEqual(await codes('query=accounts&type=liability'), ['2000']);
  t.deepEqual(await codes('query=%25'), []);
  const bad = await client.get('/accounting/accounts?type=income');
  t.is(bad.status, 422);
  t.deepEqual(bad.contractErrors, []);
});

test('the list pages by code; an account added before the cursor does not shift the next page; a tampered cursor is a 422', async (t) => {
  const { client } = await h.workspace();
  const other = await h.workspace();
  for (let i = 0; i < 9; i++) await client.post('/accounting/accounts', { code: `${(i + 1) * 100}`.padStart(4, '0'), name: `Account ${i}`, type: 'asset' });
  const rows = await allPages(client, '/accounting/accounts', 4, (res) => {
    t.is(res.status, 200);
    t.deepEqual(res.contractErrors, []);
    t.true(res.body.data.length <= 4);
  });
  t.deepEqual(rows.map((r) => r.code), ['0100', '0200', '0300', '0400', '0500', '0600', '0700', '0800', '0900']);
  const page = await client.get('/accounting/accounts?limit=2');
  // An account sorting before the cursor, added between pages, does not shift the next page.
  await client.post('/accounting/accounts', { code: '0001', name: 'Early', type: 'asset' });
  const next = await client.get(`/accounting/accounts?limit=2&cursor=${encodeURIComponent(page.body.next_cursor)}`);
  t.deepEqual(next.body.data.map((a: any) => a.code), ['0300', '0400']);
  const cursor: string = page.body.next_cursor;
  for (const bad of [cursor.slice(0, -1) + (cursor.endsWith('a') ? 'b' : 'a'), 'garbage']) {
    const res = await client.get(`/accounting/accounts?cursor=${encodeURIComponent(bad)}`);
    t.is(res.status, 422);
    t.is(res.body.error.code, 'invalid_cursor');
    t.deepEqual(res.contractErrors, []);
  }
  t.is((await other.client.get(`/accounting/accounts?cursor=${encodeURIComponent(cursor)}`)).status, 422, 'another workspace cannot use it');
  t.is((await client.get(`/accounting/journal-entries?cursor=${encodeURIComponent(cursor)}`)).status, 422, 'another list cannot use it');
});

test('balances come from posted entries only, signed by the account\'s normal side', async (t) => {
  const { client } = await h.workspace();
  const acct = async (code: string, type: string) => (await client.post('/accounting/accounts', { code, name: code, type })).body.data.id;
  const cash = await acct('1000', 'asset');
  const loan = await acct('2000', 'liability');
  const capital = await acct('3000', 'equity');
  const sales = await acct('4000', 'revenue');
  const rent = await acct('5000', 'expense');
  const post = async (status: string, lines: object[]) => {
    const res = await client.post('/accounting/journal-entries', { status, lines });
    t.is(res.status, 201, JSON.stringify(res.body));
  };
  await post('posted', [{ account_id: cash, debit_cents: 100000 }, { account_id: capital, credit_cents: 100000 }]);
  await post('posted', [{ account_id: cash, debit_cents: 50000 }, { account_id: loan, credit_cents: 50000 }]);
  await post('posted', [{ account_id: cash, debit_cents: 30000 }, { account_id: sales, credit_cents: 30000 }]);
  await post('posted', [{ account_id: rent, debit_cents: 20000 }, { account_id: cash, credit_cents: 20000 }]);
  await post('draft', [{ account_id: rent, debit_cents: 99999 }, { account_id: cash, credit_cents: 99999 }]);
  const res = await client.get('/accounting/accounts');
  t.deepEqual(res.contractErrors, []);
  t.deepEqual(Object.fromEntries(res.body.data.map((a: any) => [a.code, a.balance_cents])), {
    1000: 160000, // 100000 + 50000 + 30000 − 20000 (the draft does not count)
    2000: 50000,
    3000: 100000,
    4000: 30000,
    5000: 20000,
  });
  const filtered = await client.get('/accounting/accounts?type=expense');
  t.is(filtered.body.data[0].balance_cents, 20000);
});

test('accounts are confined to their workspace', async (t) => {
  const a = await h.workspace();
  const b = await h.workspace();
  await a.client.post('/accounting/accounts', { code: '1000', name: 'Cash', type: 'asset' });
  t.deepEqual((await b.client.get('/accounting/accounts')).body.data, []);
  const readOnly = await h.workspace({ scopes: ['crm:read'] });
  const denied = await readOnly.client.post('/accounting/accounts', { code: '1000', name: 'Cash', type: 'asset' });
  t.is(denied.status, 403);
  t.deepEqual(denied.contractErrors, []);
});
