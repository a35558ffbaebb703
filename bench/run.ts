// npm run bench: speed and memory targets, measured against the real services (never in tests).
// Starts its own PostgreSQL, Temporal, S3 and worker (slot 9), boots the API in this process,
// seeds a realistically sized workspace, measures, prints a table, and exits 1 when a target is
// missed.
import { resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Stopper } from '../tools/devstack/services.ts';
import { startHarnessServices, stopOnSignals } from '../tools/devstack/harness.ts';
import { createDeps } from '../app/deps.ts';
import { createLogger } from '../platform/logger.ts';
import { sql } from '../platform/db.ts';
import { buildApp } from '../app/api.ts';
import { createToken, createWorkspace } from '../kernel/tenancy/workspaces.ts';
import { SCOPES } from '../kernel/tenancy/scopes.ts';
import { measure, type Result } from './measure.ts';

const root = resolve(import.meta.dirname, '..');
const stoppers: Stopper[] = [];
const say = (msg: string) => console.log(`[slab5 bench] ${msg}`);
const stopAll = stopOnSignals(stoppers, say);
const SEEDED_CONTACTS = Number(process.env.BENCH_CONTACTS ?? 100_000);

async function main(): Promise<boolean> {
  say('starting services...');
  const { config } = await startHarnessServices(root, 'bench', 9, stoppers);
  const deps = await createDeps({ ...config, logLevel: 'silent' }, createLogger('silent'));
  const { app } = buildApp(deps);
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const em = deps.orm.em.fork();
    const ws = await createWorkspace(em, { name: 'Bench', rate_limit_per_second: 1_000_000 });
    const { token } = await createToken(em, ws.id, SCOPES, 'bench');
    const other = await createWorkspace(em, { name: 'Neighbour' });
    say(`seeding ${SEEDED_CONTACTS} contacts in each of two workspaces...`);
    for (const id of [ws.id, other.id]) {
      await sql(em, `insert into contacts (id, workspace_id, name, email, company_name, notes, custom_fields)
        select 'con_' || md5(? || g), ?, 'Person ' || g, 'person' || g || '@example' || (g % 500) || '.com',
               'Company ' || (g % 2000), 'notes about deal ' || g, '{}'::jsonb
        from generate_series(1, ?) g`, [id, id, SEEDED_CONTACTS]);
    }
    await sql(em, 'analyze contacts');
    const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
    const get = (path: string) => fetch(`${base}${path}`, { headers }).then(async (r) => { await r.arrayBuffer(); if (!r.ok) throw new Error(`${path}: ${r.status}`); });
    let n = 0;
    const post = (path: string, body: unknown, key?: string) => fetch(`${base}${path}`, {
      method: 'POST', headers: key ? { ...headers, 'Idempotency-Key': key } : headers, body: JSON.stringify(body),
    }).then(async (r) => { await r.arrayBuffer(); if (r.status >= 300) throw new Error(`${path}: ${r.status}`); });

    const results: Result[] = [];
    results.push(await measure('GET /contacts?query (selective, 100k rows)', 300, 1, () => get(`/contacts?query=person${12345 + (n++ % 1000)}@`), { p95Ms: 50 }));
    results.push(await measure('GET /contacts?query (broad, limit=100)', 200, 1, () => get('/contacts?query=company&limit=100'), { p95Ms: 80 }));
    results.push(await measure('GET /contacts (first page)', 300, 1, () => get('/contacts'), { p95Ms: 30 }));
    results.push(await measure('POST /contacts with Idempotency-Key', 300, 1, () => post('/contacts', { name: `New ${n}`, email: `new${n++}@bench.example`, company_name: `Bench Co ${n % 50}` }, `k-${n}`), { p95Ms: 60 }));
    results.push(await measure('POST /contacts, 20 concurrent clients', 600, 20, () => post('/contacts', { name: `Conc ${n}`, email: `conc${n++}@bench.example` }), { p95Ms: 250 }));
    const rssMb = process.memoryUsage().rss / 1024 / 1024;

    console.log('\n| benchmark | requests | concurrency | p50 ms | p95 ms | p99 ms | req/s | target | |');
    console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const r of results) {
      console.log(`| ${r.name} | ${r.count} | ${r.concurrency} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.rps.toFixed(0)} | p95 ≤ ${r.target.p95Ms} | ${r.ok ? 'ok' : 'MISSED'} |`);
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
