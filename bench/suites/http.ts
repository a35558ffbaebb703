// Slab5 beside the limit (issue 18): the product's API process (bin/api.ts as the bundle it is
// deployed as, request logging on) and a bare node:http + pg server (bench/fixtures/bare-server.ts)
// on the same database, loaded by autocannon alternately, round after round, so the ratio holds
// however loaded the machine is.
// Each side is one process; autocannon runs here. Writes bench/results/latest.json.
// Directus (bench/fixtures/directus.ts) is a further side for the list and create it has an
// equivalent for, on its own copy of the rows in the same PostgreSQL server; BENCH_DIRECTUS=off skips it.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import autocannon from 'autocannon';
import { sql } from '../../platform/db.ts';
import { freePort, startProcess, waitFor, portOpen, type Managed } from '../../tools/devstack/processes.ts';
import type { Result } from '../measure.ts';
import type { BenchSuite } from '../suite.ts';
import { DIRECTUS_VERSION, startDirectus } from '../fixtures/directus.ts';
import { builtApiArgs } from '../../tools/build/api-bundle.ts';

const root = resolve(import.meta.dirname, '../..');
const SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_HTTP_ROUNDS ?? 3);
const CONNECTIONS = (process.env.BENCH_HTTP_CONNECTIONS ?? '20,200').split(',').map(Number);
const SEEDED = 200;

/** `directus`: the same request's path on Directus, where it has an equivalent. */
interface Scenario { name: string; method: 'GET' | 'POST'; path: string; body?: (n: number) => unknown; idempotent?: boolean; directus?: string }
const SCENARIOS: Scenario[] = [
  { name: 'GET /contacts?limit=25', method: 'GET', path: '/contacts?limit=25', directus: '/items/contacts?limit=25' },
  { name: 'GET /contacts?query=person12', method: 'GET', path: '/contacts?query=person12' },
  { name: 'POST /contacts', method: 'POST', path: '/contacts', directus: '/items/contacts', body: (n) => ({ name: `Load ${n}`, email: `load${n}@bench.example` }) },
  { name: 'POST /contacts + Idempotency-Key', method: 'POST', path: '/contacts', idempotent: true, body: (n) => ({ name: `Key ${n}`, email: `key${n}@bench.example` }) },
  { name: 'POST /deals', method: 'POST', path: '/deals', body: (n) => ({ name: `Deal ${n}`, amount_cents: 1000 + n, currency: 'EUR' }) },
];
// BENCH_HTTP_SCENARIOS=limit,deals: only the scenarios whose names contain one of these.
const only = process.env.BENCH_HTTP_SCENARIOS?.split(',');
const chosen = SCENARIOS.filter((s) => !only || only.some((o) => s.name.includes(o)));

type Side = 'slab5' | 'bare' | 'before' | 'directus';
interface Run { side: Side; round: number; rps: number; p50: number; p99: number; cpuMsPerRequest: number; ok: number; errors: number; non2xx: number; load1: number }

let serial = 0;
function load(url: string, scenario: Scenario, connections: number, seconds: number, token: string, path = scenario.path): Promise<autocannon.Result> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  return autocannon({
    url, connections, duration: seconds,
    requests: [{
      method: scenario.method, path, headers,
      ...(scenario.body ? {
        setupRequest: (req: autocannon.Request) => {
          const n = ++serial;
          return { ...req, body: JSON.stringify(scenario.body!(n)), headers: scenario.idempotent ? { ...headers, 'idempotency-key': `bench-${n}` } : headers };
        },
      } : {}),
    }],
  });
}

/** CPU time a process has used (user + system), in ms: per request, a figure the machine's other load barely moves. */
const cpuMs = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
};

/** Peak resident memory of a process (VmHWM), in MB. */
const peakRssMb = (pid: number) => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

/** `entry`: node's arguments after the flags, e.g. the bundle, or `--import tsx <script>`. */
async function startServer(name: string, entry: string[], env: Record<string, string>, dataDir: string, nodeFlags: string[] = [], cwd = root): Promise<{ url: string; proc: Managed }> {
  const port = await freePort();
  const proc = startProcess(name, process.execPath, [...nodeFlags, ...entry],
    { logFile: resolve(dataDir, `${name}.log`), env: { ...env, PORT: String(port) }, cwd });
  await waitFor(name, () => portOpen(port), { timeoutMs: 60_000, process: proc });
  return { url: `http://127.0.0.1:${port}`, proc };
}

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]!; };

export const httpBench: BenchSuite = async ({ deps, workspaceId, token, say, workerPid }) => {
  const em = deps.orm.em.fork();
  await sql(em, `insert into contacts (id, workspace_id, name, email, company_name, notes)
    select 'con_bench' || lpad(g::text, 6, '0'), ?, 'Person ' || g, 'person' || g || '@example.com', 'Company ' || (g % 20), 'notes ' || g
    from generate_series(1, ?) g`, [workspaceId, SEEDED]);
  const [{ stages }] = await sql<[{ stages: number }]>(em, 'select count(*)::int as stages from deal_stages where workspace_id = ?', [workspaceId]);
  if (!stages) await sql(em, `insert into deal_stages (id, workspace_id, key, name, position, outcome) values ('dst_bench', ?, 'new', 'New', 10, 'open')`, [workspaceId]);
  await sql(em, 'analyze contacts');

  const dataDir = process.env.SLAB5_TEST_DATA_DIR ?? resolve(root, '.data');
  // The API as deployed: its own process running the bundle (built now, from this checkout),
  // request logging on (to its log file).
  const slab5 = await startServer('bench-api', await builtApiArgs(root), { LOG_LEVEL: process.env.BENCH_API_LOG_LEVEL ?? 'info', HOST: '127.0.0.1' }, dataDir,
    // BENCH_API_PROFILE=<dir>: a CPU profile of the API process, written when it stops.
    // BENCH_API_NODE_FLAGS: node flags for the API process (e.g. heap settings to compare).
    [...(process.env.BENCH_API_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_API_PROFILE}`] : []), ...(process.env.BENCH_API_NODE_FLAGS?.split(' ').filter(Boolean) ?? [])]);
  const bare = await startServer('bench-bare', ['--import', 'tsx', resolve(root, 'bench/fixtures/bare-server.ts')], {}, dataDir);
  // BENCH_HTTP_BEFORE=<checkout>: a third side, the API of another checkout of Slab5 (an earlier
  // commit, with its node_modules) on the same database, for a before/after in the same run.
  // Under tsx: an earlier checkout may predate the bundle's build.
  const beforeDir = process.env.BENCH_HTTP_BEFORE ? resolve(process.env.BENCH_HTTP_BEFORE) : null;
  const before = beforeDir
    ? await startServer('bench-api-before', ['--import', 'tsx', resolve(beforeDir, 'bin/api.ts')], { LOG_LEVEL: process.env.BENCH_API_LOG_LEVEL ?? 'info', HOST: '127.0.0.1' }, dataDir, [], beforeDir)
    : null;
  const directusSide = process.env.BENCH_DIRECTUS === 'off' ? { notRun: `Directus ${DIRECTUS_VERSION} not run: BENCH_DIRECTUS=off` }
    : chosen.some((s) => s.directus) ? await startDirectus({ databaseUrl: deps.config.databaseUrl, workspaceId, dataDir, port: await freePort(), say })
      : { notRun: `Directus ${DIRECTUS_VERSION} not run: no chosen scenario has a Directus equivalent` };
  const directus = 'url' in directusSide ? directusSide : null;
  const directusNotRun = 'notRun' in directusSide ? directusSide.notRun : null;
  if (directusNotRun) say(directusNotRun);
  const servers = { slab5, bare, ...(before ? { before } : {}), ...(directus ? { directus } : {}) } as Record<Side, { url: string; proc: Managed }>;
  const targets = Object.fromEntries(Object.entries(servers).map(([side, s]) => [side, s.url])) as Record<Side, string>;
  /** Each side's path and token for a scenario, or null where the side has no equivalent. */
  const request = (side: Side, scenario: Scenario) => side !== 'directus' ? { path: scenario.path, token }
    : scenario.directus ? { path: scenario.directus, token: directus!.token } : null;
  try {
    say('warming up the servers...');
    for (const scenario of chosen) {
      for (const side of Object.keys(servers) as Side[]) {
        const req = request(side, scenario);
        if (req) await load(targets[side], scenario, 10, 2, req.token, req.path);
      }
    }

    const runs = new Map<string, Run[]>();
    for (let round = 1; round <= ROUNDS; round++) {
      for (const scenario of chosen) {
        for (const connections of CONNECTIONS) {
          // Alternate which side goes first so neither always gets the quieter moment.
          const sides = Object.keys(servers) as Side[];
          const order = round % 2 ? sides : [...sides].reverse();
          for (const side of order) {
            const req = request(side, scenario);
            if (!req) continue;
            const pid = servers[side].proc.child.pid!;
            const cpuBefore = cpuMs(pid);
            const r = await load(targets[side], scenario, connections, SECONDS, req.token, req.path);
            const cpuUsed = cpuMs(pid) - cpuBefore;
            const key = `${scenario.name}|${connections}`;
            const run: Run = {
              side, round, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, cpuMsPerRequest: cpuUsed / Math.max(1, r['2xx'] + r.non2xx),
              ok: r['2xx'], errors: r.errors + r.timeouts, non2xx: r.non2xx, load1: loadavg()[0]!,
            };
            runs.set(key, [...(runs.get(key) ?? []), run]);
            say(`round ${round} ${side.padEnd(8)} ${scenario.name} c=${connections}: ${run.rps.toFixed(0)} req/s p50 ${run.p50} p99 ${run.p99} cpu ${run.cpuMsPerRequest.toFixed(2)} ms/req${run.non2xx || run.errors ? ` non2xx ${run.non2xx} errors ${run.errors}` : ''} (load ${run.load1.toFixed(1)})`);
          }
        }
      }
    }

    const rss = { api: peakRssMb(slab5.proc.child.pid!), bare: peakRssMb(bare.proc.child.pid!), worker: peakRssMb(workerPid), ...(before ? { before_api: peakRssMb(before.proc.child.pid!) } : {}),
      ...(directus ? { directus: peakRssMb(directus.proc.child.pid!) } : {}) };
    const rows = [...runs].map(([key, list]) => {
      const [scenario, connections] = key.split('|') as [string, string];
      const side = (s: Side) => {
        const mine = list.filter((r) => r.side === s);
        return { rps: median(mine.map((r) => r.rps)), p50: median(mine.map((r) => r.p50)), p99: median(mine.map((r) => r.p99)), cpu: median(mine.map((r) => r.cpuMsPerRequest)), errors: mine.reduce((n, r) => n + r.errors + r.non2xx, 0) };
      };
      const s = side('slab5');
      const b = side('bare');
      const earlier = before ? side('before') : null;
      const d = list.some((r) => r.side === 'directus') ? side('directus') : null;
      return { scenario, connections: Number(connections), slab5: s, bare: b, ratio: s.rps / b.rps, before: earlier, directus: d, vs_directus: d ? s.rps / d.rps : null, rounds: list };
    });

    console.log('\n| side by side (median of rounds) | conns | Slab5 req/s | p50 | p99 | bare req/s | p50 | p99 | ratio | CPU ms/req Slab5 / bare | errors |');
    console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const r of rows) {
      console.log(`| ${r.scenario} | ${r.connections} | ${r.slab5.rps.toFixed(0)} | ${r.slab5.p50} | ${r.slab5.p99} | ${r.bare.rps.toFixed(0)} | ${r.bare.p50} | ${r.bare.p99} | ${r.ratio.toFixed(2)}× | ${r.slab5.cpu.toFixed(2)} / ${r.bare.cpu.toFixed(2)} | ${r.slab5.errors}/${r.bare.errors} |`);
    }
    if (before) {
      console.log(`\n| before / after (${beforeDir}) | conns | before req/s | p99 | CPU ms/req | after req/s | p99 | CPU ms/req | after / before |`);
      console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
      for (const r of rows) {
        console.log(`| ${r.scenario} | ${r.connections} | ${r.before!.rps.toFixed(0)} | ${r.before!.p99} | ${r.before!.cpu.toFixed(2)} | ${r.slab5.rps.toFixed(0)} | ${r.slab5.p99} | ${r.slab5.cpu.toFixed(2)} | ${(r.slab5.rps / r.before!.rps).toFixed(2)}× |`);
      }
      console.log(`peak RSS of the before API: ${rss.before_api!.toFixed(0)} MB`);
    }
    console.log(`\n| Slab5 / Directus ${DIRECTUS_VERSION} (median of rounds) | conns | Slab5 req/s | p50 | p99 | Directus req/s | p50 | p99 | Slab5 / Directus (target ≥ 3×) | CPU ms/req Slab5 / Directus | errors |`);
    console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const r of rows) {
      const d = r.directus;
      console.log(`| ${r.scenario} | ${r.connections} | ${r.slab5.rps.toFixed(0)} | ${r.slab5.p50} | ${r.slab5.p99} | ${d
        ? `${d.rps.toFixed(0)} | ${d.p50} | ${d.p99} | ${r.vs_directus!.toFixed(2)}× | ${r.slab5.cpu.toFixed(2)} / ${d.cpu.toFixed(2)} | ${r.slab5.errors}/${d.errors}`
        : `— | — | — | — | ${r.slab5.cpu.toFixed(2)} / — | ${r.slab5.errors}/—`} |`);
    }
    if (directusNotRun) console.log(directusNotRun);
    console.log(`peak RSS: Slab5 API ${rss.api.toFixed(0)} MB, worker ${rss.worker.toFixed(0)} MB, bare ${rss.bare.toFixed(0)} MB${directus ? `, Directus ${rss.directus!.toFixed(0)} MB` : ''}; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);

    mkdirSync(resolve(root, 'bench/results'), { recursive: true });
    writeFileSync(resolve(root, 'bench/results/latest.json'), `${JSON.stringify({
      at: new Date().toISOString(), seconds: SECONDS, rounds: ROUNDS, cpus: (await import('node:os')).cpus().length,
      node: process.version, directus: directus ? `${DIRECTUS_VERSION} (cache and rate limiter off, admin token)` : directusNotRun, rss_mb: rss, rows,
    }, null, 2)}\n`);

    const results: Result[] = rows.map((r) => {
      const light = r.connections <= 20;
      const ok = light ? r.ratio >= 0.5 && r.slab5.p99 <= 50 && r.slab5.errors === 0 : r.slab5.p99 <= 250 && r.slab5.errors === 0;
      return {
        name: `${r.scenario} c=${r.connections} vs bare`, count: 0, concurrency: r.connections, p50: r.slab5.p50, p95: 0, p99: r.slab5.p99, rps: r.slab5.rps,
        target: { p95Ms: 0 }, ok,
        custom: { target: light ? '≥ 0.5× bare, p99 ≤ 50 ms' : 'p99 ≤ 250 ms, no errors', value: `${r.ratio.toFixed(2)}× (${r.slab5.rps.toFixed(0)} vs ${r.bare.rps.toFixed(0)} req/s), p99 ${r.slab5.p99} ms` },
      };
    });
    for (const r of rows.filter((row) => row.directus)) {
      results.push({ name: `${r.scenario} c=${r.connections} vs Directus`, count: 0, concurrency: r.connections, p50: r.slab5.p50, p95: 0, p99: r.slab5.p99, rps: r.slab5.rps,
        target: { p95Ms: 0 }, ok: r.vs_directus! >= 3 && r.slab5.errors === 0,
        custom: { target: '≥ 3× Directus req/s', value: `${r.vs_directus!.toFixed(2)}× (${r.slab5.rps.toFixed(0)} vs ${r.directus!.rps.toFixed(0)} req/s)` } });
    }
    results.push({ name: 'Slab5 API peak RSS', count: 0, concurrency: 0, p50: 0, p95: 0, p99: 0, rps: 0, target: { p95Ms: 0 }, ok: rss.api <= 250,
      custom: { target: '≤ 250 MB', value: `${rss.api.toFixed(0)} MB (worker ${rss.worker.toFixed(0)} MB)` } });
    return results;
  } finally {
    await Promise.all(Object.values(servers).map((s) => s.proc.stop()));
  }
};
