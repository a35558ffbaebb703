// BI exports: 1M deals exported to CSV end to end (createBiExport over HTTP → the worker's
// biExport workflow: sandbox query, DuckDB's COPY into a pipe, SHA-256, multipart upload,
// succeeded) against PostgreSQL streaming the same rows with `COPY (query) TO STDOUT` (CSV, read
// to the end by this process). Targets: the warm export ≤ 1.5× COPY; the worker's RSS growth
// during a warm export ≤ 128 MB, measured from the worker's RSS once the cold export is done
// (DuckDB loaded, the workspace's snapshot built) to its peak during the warm exports. The cold
// export's own growth (the snapshot build and DuckDB's first load included) is reported beside
// it, against no target. BENCH_BI_EXPORT_ROWS changes the size.
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { sql } from '../../platform/db.ts';
import { createToken, createWorkspace } from '../../kernel/tenancy/workspaces.ts';
import { systemTenant } from '../../kernel/tenant.ts';
import { seedDefaultPipeline } from '../../modules/crm/deals/pipeline-defaults.ts';
import type { Result } from '../measure.ts';
import type { BenchSuite } from '../suite.ts';
import { inTransaction } from '../../platform/transaction.ts';

const ROWS = Number(process.env.BENCH_BI_EXPORT_ROWS ?? 1_000_000);
const RUNS = 3;
const COLUMNS = 'id, name, stage, status, amount_cents, currency, created_at';
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export const biExportsBench: BenchSuite = async ({ deps, base, say, workerPid }) => {
  const em = deps.orm.em.fork();
  const ws = await createWorkspace(em, { name: 'BI exports', rate_limit_per_second: 1_000_000 });
  const token = (await createToken(em, ws.id, ['bi:read', 'bi:write'], 'bench')).token;
  await inTransaction(deps.orm.em.fork(), (tx) => seedDefaultPipeline(systemTenant(tx, ws.id, deps.resources)));
  say(`seeding ${ROWS} deals for the export...`);
  await sql(em, `insert into deals (id, workspace_id, name, stage_id, stage, status, amount_cents, currency, custom_fields, notes, closed_at, created_at, updated_at)
    select 'deal_' || md5(? || g), ?, 'Deal ' || g, s.id, s.key, s.outcome, (g::bigint * 7919) % 1000000, 'USD', '{}'::jsonb, null, case when s.outcome = 'open' then null else now() end,
           now() - ((g % 1000) || ' days')::interval, now()
    from generate_series(1, ?) g join deal_stages s on s.workspace_id = ? and s.position = 10 * (1 + g % 5)`, [ws.id, ws.id, ROWS, ws.id]);
  await sql(em, 'analyze deals');

  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base}${path}`, { method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
    const json = await res.json() as { data: any };
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json.data;
  };
  const exportOnce = async () => {
    const t0 = performance.now();
    const queued = await call('POST', '/bi/exports', { format: 'csv', sql: `SELECT ${COLUMNS} FROM deals`, row_limit: ROWS });
    for (;;) {
      const found = (await call('GET', '/bi/exports?limit=5')).find((e: { id: string }) => e.id === queued.id);
      if (found?.status === 'failed') throw new Error(`export failed: ${JSON.stringify(found.error)}`);
      if (found?.status === 'succeeded') {
        if (found.row_count !== ROWS) throw new Error(`export wrote ${found.row_count} rows, expected ${ROWS}`);
        return { ms: performance.now() - t0, bytes: found.byte_size as number };
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const copyOnce = async () => {
    const client = new pg.Client({ connectionString: deps.config.databaseUrl });
    await client.connect();
    try {
      const t0 = performance.now();
      let bytes = 0;
      const stream = client.query(copyTo(`COPY (SELECT ${COLUMNS} FROM deals WHERE workspace_id = '${ws.id}') TO STDOUT WITH (FORMAT csv, HEADER)`));
      for await (const chunk of stream) bytes += (chunk as Buffer).length;
      return { ms: performance.now() - t0, bytes };
    } finally {
      await client.end();
    }
  };

  const copies: number[] = [];
  let copyBytes = 0;
  for (let i = 0; i < RUNS; i++) { const r = await copyOnce(); copies.push(r.ms); copyBytes = r.bytes; }
  const before = rssMb(workerPid);
  let peak = before;
  const sampler = setInterval(() => { peak = Math.max(peak, rssMb(workerPid)); }, 20);
  let cold: number;
  let coldPeak: number;
  let warmBase: number;
  const warm: number[] = [];
  let exportBytes = 0;
  try {
    say(`exporting ${ROWS} rows to CSV (worker RSS ${before.toFixed(0)} MB)...`);
    cold = (await exportOnce()).ms; // includes the snapshot build
    coldPeak = Math.max(peak, rssMb(workerPid));
    warmBase = rssMb(workerPid);
    peak = warmBase;
    for (let i = 0; i < RUNS; i++) { const r = await exportOnce(); warm.push(r.ms); exportBytes = r.bytes; }
  } finally {
    clearInterval(sampler);
  }
  const growth = peak - warmBase;
  const coldGrowth = coldPeak - before;
  const ratio = median(warm) / median(copies);
  say(`BI export: COPY TO STDOUT p50 ${median(copies).toFixed(0)} ms (${(copyBytes / 1e6).toFixed(0)} MB); export cold ${cold.toFixed(0)} ms, warm p50 ${median(warm).toFixed(0)} ms (${ratio.toFixed(2)}×, ${(exportBytes / 1e6).toFixed(0)} MB); worker RSS +${growth.toFixed(0)} MB during a warm export (from ${warmBase.toFixed(0)} MB after the cold one), +${coldGrowth.toFixed(0)} MB during the cold one (from ${before.toFixed(0)} MB, snapshot build and DuckDB's first load included)`);
  const row = (name: string, samples: number[], target: string, ok: boolean): Result => ({
    name, count: samples.length, concurrency: 1, p50: median(samples), p95: Math.max(...samples), p99: Math.max(...samples), rps: 1000 / median(samples), target: { p95Ms: 0, label: target }, ok,
  });
  return [
    row(`PostgreSQL COPY (query) TO STDOUT, CSV, ${ROWS} rows`, copies, 'baseline', true),
    row(`createBiExport CSV end to end, ${ROWS} rows, cold snapshot (build included)`, [cold], 'info', true),
    row(`createBiExport CSV end to end, ${ROWS} rows, warm snapshot`, warm, `p50 ≤ 1.5 × COPY = ${(1.5 * median(copies)).toFixed(0)} ms`, ratio <= 1.5),
    {
      name: 'Worker RSS growth during a warm export (from its RSS after the cold export)', count: 1, concurrency: 1, p50: 0, p95: 0, p99: 0, rps: 0, target: { p95Ms: 0 }, ok: growth <= 128,
      custom: { value: `+${growth.toFixed(0)} MB (peak ${peak.toFixed(0)} MB)`, target: '≤ 128 MB' },
    },
    {
      name: 'Worker RSS growth during the cold export (snapshot build, DuckDB\'s first load)', count: 1, concurrency: 1, p50: 0, p95: 0, p99: 0, rps: 0, target: { p95Ms: 0 }, ok: true,
      custom: { value: `+${coldGrowth.toFixed(0)} MB (peak ${coldPeak.toFixed(0)} MB)`, target: 'info' },
    },
  ];
};
