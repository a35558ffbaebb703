// BI: the same aggregate (deal count and value by stage) over 1M deals of one workspace, beside
// 1M of another, through PostgreSQL's GROUP BY, through DuckDB on a cold snapshot (its build
// included) and on a warm one. Targets: warm ≥ 10× faster than PostgreSQL, cold ≤ 3× slower.
// Also reported: the snapshot build rate, runBiQuery over HTTP, concurrent queries of both
// workspaces, and the API process's RSS during the suite. BENCH_BI_ROWS changes the size.
import { sql } from '../../platform/db.ts';
import { newId } from '../../platform/ids.ts';
import { createWorkspace } from '../../kernel/tenancy/workspaces.ts';
import { systemTenant } from '../../kernel/tenant.ts';
import { seedDefaultPipeline } from '../../modules/crm/deals/pipeline-defaults.ts';
import { biEngine, disposeBiEngine } from '../../modules/bi/engine.ts';
import { executeQuery, prepareQuery, runQuery } from '../../modules/bi/query/run.ts';
import type { Result } from '../measure.ts';
import type { BenchSuite } from '../suite.ts';
import { inTransaction } from '../../platform/transaction.ts';

const ROWS = Number(process.env.BENCH_BI_ROWS ?? 1_000_000);
const PG_RUNS = 10;
const COLD_RUNS = 5;
const WARM_RUNS = 30;

export const biBench: BenchSuite = async ({ deps, workspaceId, base, token, say }) => {
  const em = deps.orm.em.fork();
  const neighbour = await createWorkspace(em, { name: 'BI neighbour', rate_limit_per_second: 1_000_000 });
  for (const id of [workspaceId, neighbour.id]) {
    await inTransaction(deps.orm.em.fork(), (tx) => seedDefaultPipeline(systemTenant(tx, id, deps.resources)));
    say(`seeding ${ROWS} deals in ${id}...`);
    await sql(em, `insert into deals (id, workspace_id, name, stage_id, stage, status, amount_cents, currency, custom_fields, notes, closed_at, created_at, updated_at)
      select 'deal_' || md5(? || g), ?, 'Deal ' || g, s.id, s.key, s.outcome, (g::bigint * 7919) % 1000000, 'USD', '{}'::jsonb, 'notes on deal ' || g, case when s.outcome = 'open' then null else now() end,
             now() - ((g % 1000) || ' days')::interval, now()
      from generate_series(1, ?) g join deal_stages s on s.workspace_id = ? and s.position = 10 * (1 + g % 5)`, [id, id, ROWS, id]);
  }
  await sql(em, 'analyze deals');

  const rss = sampleRss();
  const api = async (path: string, body: unknown) => {
    const res = await fetch(`${base}${path}`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const json = await res.json() as { data: { id: string; rows: unknown[][] } };
    if (res.status >= 300) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`);
    return json.data;
  };
  const dataset = await api('/bi/datasets', { name: 'Deals', kind: 'table', source_table: 'deals' });
  const total = await api('/bi/metrics', { name: 'Value', dataset_id: dataset.id, aggregation: 'sum', column: 'amount_cents' });
  const count = await api('/bi/metrics', { name: 'Deals', dataset_id: dataset.id, aggregation: 'count' });
  const report = await api('/bi/reports', { name: 'By stage', dataset_id: dataset.id, dimensions: ['stage'], metric_ids: [total.id, count.id], sort: [{ column: total.id, direction: 'desc' }] });

  const tenant = systemTenant(deps.orm.em.fork(), workspaceId, deps.resources);
  const engine = biEngine(deps);
  await engine.catalog();
  // The aggregate through DuckDB: the report's compiled statement on the workspace's snapshot
  // (freshness check and lease included); loading the report's objects is measured apart.
  const prepared = await prepareQuery({ ...tenant, em: deps.orm.em.fork() }, engine, { report_id: report.id });
  const duck = () => executeQuery(engine, workspaceId, prepared);
  const server = () => runQuery({ ...tenant, em: deps.orm.em.fork() }, engine, { report_id: report.id } as Parameters<typeof runQuery>[2]);
  const postgres = () => sql(deps.orm.em.fork(), `select stage, sum(amount_cents) as total, count(*) as n from deals where workspace_id = ?
    group by stage order by total desc`, [workspaceId]);

  // The same answer from both engines.
  const [pgRows, duckRows] = [await postgres(), (await duck()).rows];
  const expected = (pgRows as { stage: string; total: string; n: string }[]).map((r) => [r.stage, Number(r.total), Number(r.n)]);
  if (JSON.stringify(expected) !== JSON.stringify(duckRows)) throw new Error(`DuckDB and PostgreSQL disagree: ${JSON.stringify(duckRows)} vs ${JSON.stringify(expected)}`);

  const pg = await timed(PG_RUNS, postgres);
  // Cold: a write shows in the outbox, so each run rebuilds the snapshot before it answers.
  const stale = () => sql(deps.orm.em.fork(), `insert into outbox_events (id, workspace_id, type, resource_type, resource_id, payload, occurred_at)
    values (?, ?, 'deal.updated', 'deal', 'deal_bench', '{}', now())`, [newId('evt'), workspaceId]);
  const before = await engine.stats();
  const cold = await timed(COLD_RUNS, duck, stale);
  const after = await engine.stats();
  if (after.builds - before.builds !== COLD_RUNS) throw new Error(`expected ${COLD_RUNS} snapshot builds, saw ${after.builds - before.builds}`);
  const buildRate = (after.rowsCopied - before.rowsCopied) / ((after.buildMs - before.buildMs) / 1000);
  const warm = await timed(WARM_RUNS, duck);
  const domain = await timed(WARM_RUNS, server);
  const http = await timed(WARM_RUNS, () => api('/bi/queries/run', { report_id: report.id }));
  // Both workspaces at once, 20 requests in flight (the neighbour's first ones build its snapshot).
  const neighbourToken = await (await import('../../kernel/tenancy/workspaces.ts')).createToken(em, neighbour.id, ['bi:read', 'bi:write'], 'bench');
  const ask = async (i: number) => {
    const headers = { Authorization: `Bearer ${i % 2 ? token : neighbourToken.token}`, 'Content-Type': 'application/json' };
    const res = await fetch(`${base}/bi/queries/run`, { method: 'POST', headers, body: JSON.stringify({ sql: 'select stage, sum(amount_cents) as total from deals group by stage' }) });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`concurrent query: ${res.status}`);
  };
  await Promise.all([ask(0), ask(1)]);
  const mixed = await concurrently(200, 20, ask);
  const fullTable = await timed(1, () => api('/bi/queries/run', { sql: 'select * from deals' }).then(() => undefined), stale);
  const peakRss = rss.stop();
  await disposeBiEngine(deps);

  const pgP50 = p(pg, 50);
  say(`BI: PostgreSQL p50 ${pgP50.toFixed(0)} ms; DuckDB cold p50 ${p(cold, 50).toFixed(0)} ms (${(p(cold, 50) / pgP50).toFixed(2)}×), warm p50 ${p(warm, 50).toFixed(1)} ms (${(pgP50 / p(warm, 50)).toFixed(1)}× faster)`);
  say(`BI: snapshot build ${Math.round(buildRate).toLocaleString('en')} rows/s (2 columns); API RSS peak during the suite ${peakRss.toFixed(0)} MB`);
  return [
    result(`PostgreSQL GROUP BY stage, ${label(ROWS)} of ${label(2 * ROWS)} rows`, pg, 1, 'baseline', true),
    result('DuckDB cold snapshot (copy + query), same aggregate', cold, 1, `p50 ≤ 3 × PostgreSQL = ${(3 * pgP50).toFixed(0)} ms`, p(cold, 50) <= 3 * pgP50),
    result('DuckDB warm snapshot, same aggregate', warm, 1, `p50 ≤ PostgreSQL / 10 = ${(pgP50 / 10).toFixed(1)} ms`, p(warm, 50) <= pgP50 / 10),
    result('runBiQuery in the server, warm (report, dataset and metrics loaded)', domain, 1, 'p95 ≤ 300', p(domain, 95) <= 300),
    result('runBiQuery over HTTP, warm (report)', http, 1, 'p95 ≤ 500', p(http, 95) <= 500),
    result('runBiQuery SQL, 2 workspaces, 20 concurrent (warm)', mixed, 20, 'p95 ≤ 5000', p(mixed, 95) <= 5000),
    result(`SQL reading every column (select *): a cold copy of the whole table, ${label(ROWS)} rows`, fullTable, 1, 'info', true),
    info(`Snapshot build rate: ${Math.round(buildRate).toLocaleString('en')} rows/s`),
    info(`API RSS peak during the BI suite: ${peakRss.toFixed(0)} MB`),
  ];
};

const label = (n: number) => (n >= 1e6 ? `${n / 1e6}M` : `${n / 1e3}k`);
const p = (samples: number[], pct: number) => [...samples].sort((a, b) => a - b)[Math.min(samples.length - 1, Math.floor((pct / 100) * samples.length))]!;

async function timed(runs: number, op: () => Promise<unknown>, before?: () => Promise<unknown>): Promise<number[]> {
  await op();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    await before?.();
    const t0 = performance.now();
    await op();
    out.push(performance.now() - t0);
  }
  return out;
}

async function concurrently(count: number, concurrency: number, op: (i: number) => Promise<void>): Promise<number[]> {
  const out: number[] = [];
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count) {
      const i = next++;
      const t0 = performance.now();
      await op(i);
      out.push(performance.now() - t0);
    }
  }));
  return out;
}

function result(name: string, samples: number[], concurrency: number, label: string, ok: boolean): Result {
  const total = samples.reduce((a, b) => a + b, 0) / 1000;
  return { name, count: samples.length, concurrency, p50: p(samples, 50), p95: p(samples, 95), p99: p(samples, 99), rps: (samples.length * concurrency) / Math.max(total, 1e-9) / concurrency, target: { p95Ms: 0, label }, ok };
}

const info = (name: string): Result => ({ name, count: 0, concurrency: 0, p50: 0, p95: 0, p99: 0, rps: 0, target: { p95Ms: 0, label: 'info' }, ok: true });

/** The process's peak RSS (MB) while the suite runs. */
function sampleRss(): { stop: () => number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 50);
  return { stop: () => { clearInterval(timer); return Math.max(peak, process.memoryUsage().rss) / 1024 / 1024; } };
}
