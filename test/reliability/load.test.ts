// Load: 200 concurrent connections for 60 s of mixed reads and writes (autocannon), twice. Every
// answer is a success or a 429 by design; no connection error, no timeout; the API process's
// heap after the second run (after a full GC) is not above the first's beyond a small margin.
// Full mode only (two minutes of load). Speed figures belong to the benchmarks: none is asserted.
import test from 'ava';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import autocannon from 'autocannon';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { pipelineWorkspace } from '../helpers/fixtures.ts';
import { reliabilityMode } from '../helpers/reliability-mode.ts';

const full = reliabilityMode() === 'full';
const CONNECTIONS = 200;
const SECONDS = Number(process.env.SLAB5_LOAD_SECONDS ?? 60);

let h: Harness;
test.before(async () => { if (full) h = await bootHarness(); });
test.after.always(async () => { await h?.close(); });

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const settledHeap = async () => {
  for (let i = 0; i < 3; i++) { gc(); await new Promise((r) => setTimeout(r, 200)); }
  return process.memoryUsage().heapUsed;
};

async function run(token: string, companyId: string) {
  const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
  let n = 0;
  const result = await autocannon({
    url: h.url, connections: CONNECTIONS, duration: SECONDS, timeout: 30,
    requests: [
      { method: 'GET', path: '/contacts?limit=20', headers },
      { method: 'POST', path: '/contacts', headers, setupRequest: (req: any) => ({ ...req, body: JSON.stringify({ name: `Load ${n++}`, company_id: companyId }) }) },
      { method: 'GET', path: `/contacts?company_id=${companyId}&limit=5`, headers },
      { method: 'GET', path: '/deal-stages', headers },
      { method: 'POST', path: '/tasks', headers, body: JSON.stringify({ title: 'Load task' }) },
      { method: 'GET', path: '/tasks?limit=10', headers },
    ],
  });
  return result;
}

(full ? test.serial : test.serial.skip)('200 connections for 60 s, twice: only successes or 429, and no heap growth between the runs', async (t) => {
  t.timeout((SECONDS * 2 + 180) * 1000);
  const ws = await pipelineWorkspace(h, { rate_limit_per_second: 1_000_000 });
  const company = (await ws.client.post('/companies', { name: 'Load Co' })).body.data.id;
  const heaps: number[] = [];
  for (const round of [1, 2]) {
    const r = await run(ws.token, company);
    heaps.push(await settledHeap());
    const statuses = Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([k, v]: [string, any]) => [k, v.count]));
    t.log(`run ${round}: ${r.requests.total} requests, ${r.requests.average}/s, p99 ${r.latency.p99} ms, statuses ${JSON.stringify(statuses)}, errors ${r.errors}, timeouts ${r.timeouts}, heap ${(heaps.at(-1)! / 1048576).toFixed(1)} MiB, RSS ${(process.memoryUsage().rss / 1048576).toFixed(1)} MiB`);
    t.is(r.errors, 0, `run ${round}: connection errors`);
    t.is(r.timeouts, 0, `run ${round}: timeouts`);
    t.true(Object.keys(statuses).every((s) => /^2\d\d$/.test(s) || s === '429'), `run ${round}: ${JSON.stringify(statuses)}`);
    // Every connection was served (throughput itself is a benchmark figure, not asserted here).
    t.true(r.requests.total >= CONNECTIONS, `run ${round}: ${r.requests.total} requests`);
  }
  // The second run starts from the first's steady state: its heap stays within 10% (+16 MiB for
  // caches that fill once, such as compiled validators and prepared statements).
  t.true(heaps[1]! <= heaps[0]! * 1.1 + 16 * 1048576, `heap after run 1 ${(heaps[0]! / 1048576).toFixed(1)} MiB, after run 2 ${(heaps[1]! / 1048576).toFixed(1)} MiB`);
});

(full ? test.serial : test.serial.skip)('a 429 under a workspace\'s own limit carries Retry-After, and other workspaces are served', async (t) => {
  const limited = await h.workspace({ rate_limit_per_second: 20 });
  const other = await h.workspace();
  const r = await autocannon({ url: `${h.url}/contacts`, connections: 20, duration: 3, headers: { Authorization: `Bearer ${limited.token}` } });
  const statuses = Object.keys(r.statusCodeStats ?? {});
  t.true(statuses.includes('429'), JSON.stringify(r.statusCodeStats));
  t.true(statuses.every((s) => s === '200' || s === '429'));
  const res = await limited.client.get('/contacts');
  if (res.status === 429) t.truthy(res.headers.get('retry-after'));
  t.is((await other.client.get('/contacts')).status, 200);
});
