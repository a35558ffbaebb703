// kernel/lookup.ts lockAndFindIdByLowerColumn(): the natural-key lock and the lookup it guards in
// one round trip. The lookup must see what the lock's previous holder committed, which holds only
// because it is a statement of its own, with its own snapshot, taken once the lock is granted.
import test from 'ava';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { sql } from '../../platform/db.ts';
import { inTransaction } from '../../platform/transaction.ts';
import { lockNaturalKey } from '../../kernel/locks.ts';
import { lockAndFindIdByLowerColumn } from '../../kernel/lookup.ts';

let h: Harness;
test.before(async () => { h = await bootHarness(); });
test.after.always(async () => { await h?.close(); });

test('waits for the holder of the lock, then finds the row it committed, case-insensitively', async (t) => {
  const { id: workspaceId } = await h.workspace();
  const key = ['contact-email', workspaceId, 'waiter@example.com'];
  let releaseHolder!: () => void;
  const holderMayCommit = new Promise<void>((resolve) => { releaseHolder = resolve; });
  let holderLocked!: () => void;
  const locked = new Promise<void>((resolve) => { holderLocked = resolve; });
  const holder = inTransaction(h.deps.orm.em.fork(), async (tx) => {
    await lockNaturalKey(tx, ...key);
    await sql(tx, `insert into contacts (id, workspace_id, name, email, custom_fields) values ('con_lockfind1', ?, 'Holder', 'Waiter@Example.com', '{}')`, [workspaceId]);
    holderLocked();
    await holderMayCommit;
  });
  await locked;
  let found: string | null | undefined;
  const waiter = inTransaction(h.deps.orm.em.fork(), async (tx) => {
    found = await lockAndFindIdByLowerColumn(h.tenant(workspaceId, tx), key, 'contacts', 'email', 'WAITER@example.com');
  });
  // The waiter is queued on the advisory lock (pg_locks shows it not granted) and has no answer yet.
  while (!(await sql<{ n: number }[]>(h.deps.orm.em.fork(), `select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted`))[0]!.n) {
    await new Promise((resolve) => setImmediate(resolve));
  }
  t.is(found, undefined, 'the lookup waits while another transaction holds the lock');
  releaseHolder();
  await Promise.all([holder, waiter]);
  t.is(found, 'con_lockfind1');
  t.is(await inTransaction(h.deps.orm.em.fork(), (tx) =>
    lockAndFindIdByLowerColumn(h.tenant(workspaceId, tx), ['contact-email', workspaceId, 'nobody@example.com'], 'contacts', 'email', 'nobody@example.com')), null);
});
