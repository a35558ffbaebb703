import test from 'ava';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import type { ApiResponse } from '../helpers/client.ts';

let h: Harness;
test.before(async () => { h = await bootHarness(); });
test.after.always(async () => { await h?.close(); });

test('a workspace over its per-second limit gets 429 with Retry-After and rate-limit headers', async (t) => {
  const { client } = await h.workspace({ rate_limit_per_second: 3 });
  // The burst must land in one one-second window: start at the top of a second, and try again
  // (a fresh window) if a loaded machine made it straddle two.
  let results: ApiResponse[] = [];
  for (let attempt = 0; attempt < 5; attempt++) {
    await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 5));
    const started = Date.now();
    results = await Promise.all(Array.from({ length: 8 }, () => client.get('/contacts')));
    if (Math.floor(Date.now() / 1000) === Math.floor(started / 1000)) break;
  }
  const ok = results.filter((r) => r.status === 200);
  const limited = results.filter((r) => r.status === 429);
  t.is(ok.length, 3);
  t.is(limited.length, 5);
  for (const r of ok) {
    t.is(r.headers.get('ratelimit-limit'), '3');
    t.truthy(r.headers.get('ratelimit-remaining'));
  }
  const res = limited[0]!;
  t.is(res.body.error.code, 'rate_limited');
  t.deepEqual(res.contractErrors, []);
  t.is(res.headers.get('retry-after'), '1');
  t.is(res.headers.get('ratelimit-remaining'), '0');
  // The next window admits requests again.
  await new Promise((r) => setTimeout(r, 1100));
  t.is((await client.get('/contacts')).status, 200);
});

test('limits are per workspace: one workspace hitting its limit does not slow another', async (t) => {
  const noisy = await h.workspace({ rate_limit_per_second: 1 });
  const quiet = await h.workspace({ rate_limit_per_second: 50 });
  await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 5));
  const burst = await Promise.all(Array.from({ length: 5 }, () => noisy.client.get('/contacts')));
  t.true(burst.some((r) => r.status === 429));
  const quietResults = await Promise.all(Array.from({ length: 5 }, () => quiet.client.get('/contacts')));
  t.true(quietResults.every((r) => r.status === 200));
});

test('the counters live in an unlogged table: counting a request writes no WAL', async (t) => {
  const [row] = await h.sql<{ relpersistence: string }>(`select relpersistence from pg_class where relname = 'rate_limit_windows'`);
  t.is(row!.relpersistence, 'u');
});
