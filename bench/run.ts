// npm run bench: speed and memory targets, measured against the real services (never in tests).
// Starts its own PostgreSQL, Temporal, S3 and worker (slot BENCH_SLOT, default 9), boots the API in this process,
// seeds a realistically sized workspace, measures, prints a table, and exits 1 when a target is
// missed.
import { resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Stopper } from '../tools/devstack/services.ts';
import { startHarnessServices, stopOnSignals } from '../tools/devstack/harness.ts';
import { createDeps } from '../app/deps.ts';
import { createLogger } from '../platform/logger.ts';
import { buildApp } from '../app/api.ts';
import { createToken, createWorkspace } from '../kernel/tenancy/workspaces.ts';
import { SCOPES } from '../kernel/tenancy/scopes.ts';
import type { Result } from './measure.ts';
import { SUITES } from './suites.ts';

const root = resolve(import.meta.dirname, '..');
const stoppers: Stopper[] = [];
const say = (msg: string) => console.log(`[slab5 bench] ${msg}`);
const stopAll = stopOnSignals(stoppers, say);

async function main(): Promise<boolean> {
  say('starting services...');
  const { config, workerPid } = await startHarnessServices(root, 'bench', Number(process.env.BENCH_SLOT ?? 9), stoppers);
  const deps = await createDeps({ ...config, logLevel: 'silent' }, createLogger('silent'));
  const { app } = buildApp(deps);
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const em = deps.orm.em.fork();
    const only = process.env.BENCH_ONLY ? process.env.BENCH_ONLY.split(',') : null;
    const results: Result[] = [];
    for (const [name, suite] of Object.entries(SUITES)) {
      if (only && !only.includes(name)) continue;
      // Each suite gets a workspace of its own, its rate limit out of the way.
      const ws = await createWorkspace(em, { name: `Bench ${name}`, rate_limit_per_second: 1_000_000 });
      const { token } = await createToken(em, ws.id, SCOPES, 'bench');
      const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
      const get = (path: string) => fetch(`${base}${path}`, { headers }).then(async (r) => { await r.arrayBuffer(); if (!r.ok) throw new Error(`${path}: ${r.status}`); });
      const post = (path: string, body: unknown, key?: string) => fetch(`${base}${path}`, {
        method: 'POST', headers: key ? { ...headers, 'Idempotency-Key': key } : headers, body: JSON.stringify(body),
      }).then(async (r) => { await r.arrayBuffer(); if (r.status >= 300) throw new Error(`${path}: ${r.status}`); });
      say(`suite ${name}...`);
      results.push(...await suite({ deps, base, workspaceId: ws.id, token, get, post, say, workerPid }));
    }
    const rssMb = process.memoryUsage().rss / 1024 / 1024;

    console.log('\n| benchmark | requests | concurrency | p50 ms | p95 ms | p99 ms | req/s | target | |');
    console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const r of results) {
      if (r.custom) { console.log(`| ${r.name} | | | | | | | ${r.custom.target} | ${r.custom.value} ${r.ok ? 'ok' : 'MISSED'} |`); continue; }
      console.log(`| ${r.name} | ${r.count} | ${r.concurrency} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.rps.toFixed(0)} | ${r.target.label ?? `p95 ≤ ${r.target.p95Ms}`} | ${r.ok ? 'ok' : 'MISSED'} |`);
    }
    const rssOk = rssMb <= 400;
    console.log(`| API + bench process RSS after the run | | | | | | | ≤ 400 MB | ${rssMb.toFixed(0)} MB ${rssOk ? 'ok' : 'MISSED'} |\n`);
    return results.every((r) => r.ok) && rssOk;
  } finally {
    server.close();
    await deps.close();
  }
}

let ok = false;
try {
  ok = await main();
} catch (err) {
  console.error(`[slab5 bench] ${(err as Error).stack ?? err}`);
} finally {
  await stopAll();
}
process.exit(ok ? 0 : 1);
