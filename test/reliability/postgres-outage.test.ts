// PostgreSQL killed (SIGKILL of the postmaster) for 10 s under load: every request of the outage
// answers quickly with 503 service_unavailable and a clear message, none hangs, none answers
// 500, and once PostgreSQL is back the API serves again by itself (no restart). The test runs a
// PostgreSQL of its own (the shared test database stays up for the other files). Full mode only.
import test from 'ava';
import { readFileSync, rmSync } from 'node:fs';
import { freePort } from '../../tools/devstack/processes.ts';
import { resolve } from 'node:path';
import { startPostgres, type Stopper } from '../../tools/devstack/services.ts';
import { loadConfig } from '../../platform/config.ts';
import { initOrm, migrate } from '../../platform/db.ts';
import { registry } from '../../app/modules.ts';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { reliabilityMode } from '../helpers/reliability-mode.ts';
import { hashToken } from '../../platform/tokens.ts';
import { Writable } from 'node:stream';
import { toApiError } from '../../api/middleware/errors.ts';

const full = reliabilityMode() === 'full';
const root = resolve(import.meta.dirname, '../..');
const dir = resolve(process.env.SLAB5_TEST_DATA_DIR ?? resolve(root, '.data/test'), 'outage-postgres');


let h: Harness | undefined;
let pg: { url: string; stopper: Stopper } | undefined;
let port = 0;
test.after.always(async () => { await h?.close().catch(() => undefined); await pg?.stopper.stop().catch(() => undefined); rmSync(dir, { recursive: true, force: true }); });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

(full ? test : test.skip)('PostgreSQL down for 10 s: 503 with a clear error, no hang, then recovery without a restart', async (t) => {
  t.timeout(5 * 60_000);
  rmSync(dir, { recursive: true, force: true });
  port = await freePort();
  pg = await startPostgres(dir, port, 'slab5_outage');
  const orm = await initOrm(pg.url, registry);
  await migrate(orm);
  await orm.close(true);
  const logLines: string[] = [];
  const sink = new Writable({ write(chunk, _enc, done) { logLines.push(...chunk.toString().split('\n').filter(Boolean)); done(); } });
  h = await bootHarness({ DATABASE_URL: pg.url }, { logTo: sink, logLevel: 'warn' });
  t.is(loadConfig({ ...process.env, DATABASE_URL: pg.url }, { root: '/nonexistent' }).databaseUrl, pg.url);
  const ws = await h.workspace();

  // Load: a few clients reading and writing in a loop, each request timed.
  const seen: { at: number; status: number; ms: number; code?: string; message?: string }[] = [];
  let running = true;
  const loop = async (i: number) => {
    for (let n = 0; running; n++) {
      const started = Date.now();
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), 30_000);
      try {
        const res = n % 2 ? await fetch(`${h!.url}/contacts?limit=5`, { headers: { Authorization: `Bearer ${ws.token}` }, signal: controller.signal })
          : await fetch(`${h!.url}/contacts`, { method: 'POST', headers: { Authorization: `Bearer ${ws.token}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ name: `Load ${i}-${n}` }), signal: controller.signal });
        const body = await res.json().catch(() => ({})) as any;
        seen.push({ at: started, status: res.status, ms: Date.now() - started, code: body?.error?.code, message: body?.error?.message });
      } catch {
        seen.push({ at: started, status: 0, ms: Date.now() - started, message: 'no answer within 30 s' });
      } finally { clearTimeout(timer); }
      await sleep(20);
    }
  };
  const loops = Array.from({ length: 8 }, (_, i) => loop(i));
  await sleep(3_000);

  const postmaster = Number(readFileSync(resolve(dir, 'pgdata/postmaster.pid'), 'utf8').split('\n')[0]);
  const killedAt = Date.now();
  process.kill(postmaster, 'SIGKILL');
  await sleep(10_000);
  // Restart on the same data directory and port (crash recovery replays the WAL).
  const restartingAt = Date.now();
  pg = await startPostgres(dir, port, 'slab5_outage');
  const restartedAt = Date.now();
  await sleep(8_000);
  running = false;
  await Promise.all(loops);

  const during = seen.filter((s) => s.at >= killedAt + 500 && s.at < restartingAt);
  const after = seen.filter((s) => s.at >= restartedAt + 4_000);
  const tally = (xs: typeof seen) => Object.entries(xs.reduce<Record<string, number>>((a, s) => ({ ...a, [s.status]: (a[s.status] ?? 0) + 1 }), {})).map(([k, v]) => `${k}×${v}`).join(' ');
  t.log(`before ${tally(seen.filter((s) => s.at < killedAt))}; during ${tally(during)}; after ${tally(after)}`);
  t.deepEqual(seen.filter((s) => s.status !== 200 && s.status !== 201 && s.status !== 503), [], 'no 500 and no hang, in flight at the kill either');
  t.true(during.length >= 20, `${during.length} requests during the outage`);
  t.true(during.every((s) => s.status === 503), `during the outage: ${tally(during)}`);
  t.true(during.every((s) => s.code === 'service_unavailable' && /database/i.test(s.message ?? '')), JSON.stringify(during.find((s) => s.code !== 'service_unavailable')));
  t.true(Math.max(...during.map((s) => s.ms)) < 10_000, `slowest answer during the outage: ${Math.max(...during.map((s) => s.ms))} ms`);
  t.true(after.length >= 20);
  t.true(after.every((s) => s.status === 200 || s.status === 201), `after recovery: ${tally(after)}`);
  // The outage is logged by its cause, without the failed queries (they inline the token hash).
  t.true(logLines.some((l) => l.includes('database unavailable')));
  t.false(logLines.some((l) => l.includes(hashToken(ws.token)) || l.includes(ws.token)), 'no log line carries the token or its hash');
});

test('a connection-level database failure maps to 503 service_unavailable with Retry-After; a query error does not', (t) => {
  for (const err of [
    Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
    Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
    Object.assign(new Error('the database system is starting up'), { code: '57P03' }),
    new Error('Connection terminated unexpectedly'),
    Object.assign(new Error('Knex: Timeout acquiring a connection. The pool is probably full.'), { name: 'KnexTimeoutError' }),
  ]) {
    const api = toApiError(err);
    t.is(api.status, 503, err.message);
    t.is(api.code, 'service_unavailable');
    t.regex(api.message, /database/);
    t.is(api.headers['Retry-After'], '1');
  }
  t.is(toApiError(Object.assign(new Error('duplicate key'), { code: '23505' })).status, 500);
  t.is(toApiError(new Error('something else')).status, 500);
});
