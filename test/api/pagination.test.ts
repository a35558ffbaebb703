import test from 'ava';
import { bootHarness, type Harness } from '../helpers/harness.ts';

let h: Harness;
test.before(async () => { h = await bootHarness(); });
test.after.always(async () => { await h?.close(); });

test('walking every page returns each row exactly once while rows are being inserted', async (t) => {
  const { client } = await h.workspace();
  const original = new Set<string>();
  for (let i = 0; i < 37; i++) {
    const res = await client.post('/companies', { name: `Company ${i}` });
    original.add(res.body.data.id);
  }
  const seen: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  let inserted = 0;
  do {
    const res: any = await client.get(`/companies?limit=5${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    t.is(res.status, 200);
    t.deepEqual(res.contractErrors, []);
    t.true(res.body.data.length <= 5);
    seen.push(...res.body.data.map((c: { id: string }) => c.id));
    cursor = res.body.next_cursor;
    pages++;
    // Concurrent writers add rows between page reads.
    await Promise.all([1, 2].map(() => client.post('/companies', { name: `Inserted ${inserted++}` })));
  } while (cursor);
  t.is(new Set(seen).size, seen.length, 'no row seen twice');
  for (const id of original) t.true(seen.includes(id), `${id} was seen`);
  t.is(pages, 8);
  t.deepEqual([...seen].sort().reverse(), seen, 'newest first');
});

test('the last page has next_cursor null; default limit is 25', async (t) => {
  const { client } = await h.workspace();
  for (let i = 0; i < 26; i++) await client.post('/contacts', { name: `P${i}` });
  const first = await client.get('/contacts');
  t.is(first.body.data.length, 25);
  t.is(typeof first.body.next_cursor, 'string');
  const second = await client.get(`/contacts?cursor=${encodeURIComponent(first.body.next_cursor)}`);
  t.is(second.body.data.length, 1);
  t.is(second.body.next_cursor, null);
});

test('a tampered or foreign cursor answers 422, never a 500', async (t) => {
  const a = await h.workspace();
  const b = await h.workspace();
  for (let i = 0; i < 3; i++) await a.client.post('/companies', { name: `A${i}` });
  const page = await a.client.get('/companies?limit=1');
  const cursor: string = page.body.next_cursor;
  const [payload, mac] = cursor.split('.');
  const forged = Buffer.from(JSON.stringify({ after: 'com_zzzzzzzzzzzzzzzzzzzzzzzzzz' })).toString('base64url');
  for (const bad of [`${forged}.${mac}`, `${payload}.${mac!.slice(0, -2)}xx`, 'garbage', `${payload}`, '%%%', `${payload}.${mac}.x`]) {
    const res = await a.client.get(`/companies?cursor=${encodeURIComponent(bad)}`);
    t.is(res.status, 422, bad);
    t.is(res.body.error.code, 'invalid_cursor');
  }
  t.is((await b.client.get(`/companies?cursor=${encodeURIComponent(cursor)}`)).status, 422, 'another workspace cannot use it');
  t.is((await a.client.get(`/contacts?cursor=${encodeURIComponent(cursor)}`)).status, 422, 'another list cannot use it');
  t.is((await a.client.get(`/companies?cursor=${encodeURIComponent(cursor)}`)).status, 200);
});
