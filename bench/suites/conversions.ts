// Lead conversions per second end to end (POST /leads/{id}/convert with a deal, answered 200 once
// the convertLead workflow finished: five activities on the product's worker) beside a no-op
// workflow with the same five activities on the same Temporal server (its own worker process,
// bench/fixtures/noop-worker.ts). Same number of conversions, same concurrency, one after the other.
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { sql } from '../../platform/db.ts';
import { startProcess } from '../../tools/devstack/processes.ts';
import type { Result } from '../measure.ts';
import type { BenchSuite } from '../suite.ts';

const root = resolve(import.meta.dirname, '../..');
const COUNT = Number(process.env.BENCH_CONVERSIONS ?? 100);
const CONCURRENCY = Number(process.env.BENCH_CONVERSION_CONCURRENCY ?? 10);
const WARMUP = 5;

/** Runs `count` jobs by `concurrency` workers; conversions per second. */
async function throughput(count: number, concurrency: number, job: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count) await job(next++);
  }));
  return count / ((performance.now() - started) / 1000);
}

export const conversionsBench: BenchSuite = async ({ deps, base, workspaceId, token, say }) => {
  const em = deps.orm.em.fork();
  const [{ stages }] = await sql<[{ stages: number }]>(em, `select count(*)::int as stages from deal_stages where workspace_id = ? and outcome = 'open'`, [workspaceId]);
  if (!stages) await sql(em, `insert into deal_stages (id, workspace_id, key, name, position, outcome) values ('dst_convbench', ?, 'new', 'New', 10, 'open')`, [workspaceId]);
  const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
  const call = async (path: string, body: unknown, want: number): Promise<Record<string, any>> => {
    const res = await fetch(`${base}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
    const json = await res.json() as { data: Record<string, any> };
    if (res.status !== want) throw new Error(`${path}: ${res.status} (wanted ${want}) ${JSON.stringify(json).slice(0, 300)}`);
    return json.data;
  };

  say(`creating ${COUNT + WARMUP} leads...`);
  const leads: string[] = [];
  for (let i = 0; i < COUNT + WARMUP; i++) {
    const lead = await call('/leads', { name: `Convert ${i}`, email: `convert${i}@conv${i}.example`, company_name: `Conversion Co ${i}` }, 201);
    leads.push(lead.id as string);
  }
  // 200 converted, or 202 when the run outlasted the API's wait bound (a loaded machine): then
  // the conversion is done when its workflow is.
  const convert = async (i: number) => {
    const res = await fetch(`${base}/leads/${leads[i]}/convert`, { method: 'POST', headers, body: JSON.stringify({ create_deal: true, deal_amount_cents: 1000, deal_currency: 'EUR' }) });
    const lead = ((await res.json()) as { data: Record<string, any> }).data;
    if (res.status === 202) await deps.temporal.workflow.getHandle(lead.conversion_workflow_id as string).result();
    else if (res.status !== 200 || lead.status !== 'converted') throw new Error(`lead ${leads[i]} answered ${res.status} ${JSON.stringify(lead).slice(0, 300)}`);
  };
  for (let i = 0; i < WARMUP; i++) await convert(COUNT + i);
  say(`converting ${COUNT} leads, ${CONCURRENCY} at a time...`);
  const product = await throughput(COUNT, CONCURRENCY, convert);

  const queue = `bench-noop-${process.pid}`;
  const dataDir = process.env.SLAB5_TEST_DATA_DIR ?? resolve(root, '.data');
  const worker = startProcess('bench-noop-worker', process.execPath, ['--import', 'tsx', resolve(root, 'bench/fixtures/noop-worker.ts')], {
    logFile: resolve(dataDir, 'bench-noop-worker.log'), cwd: root,
    env: { TEMPORAL_ADDRESS: deps.config.temporalAddress, TEMPORAL_NAMESPACE: deps.config.temporalNamespace, NOOP_TASK_QUEUE: queue },
  });
  try {
    let n = 0;
    const noop = async () => {
      const id = `bench-noop-${process.pid}-${n++}`;
      await deps.temporal.workflow.execute('noopConversion', { taskQueue: queue, workflowId: id, args: [{ leadId: id }], workflowExecutionTimeout: '2 minutes' });
    };
    say('no-op workflow: waiting for its worker (bundling)...');
    for (let i = 0; i < WARMUP; i++) await noop(); // the first waits until the worker polls
    say(`running ${COUNT} no-op workflows, ${CONCURRENCY} at a time...`);
    const peer = await throughput(COUNT, CONCURRENCY, noop);
    const ratio = product / peer;
    console.log(`\n| conversions (${COUNT}, ${CONCURRENCY} at a time) | per second |\n| --- | --- |`);
    console.log(`| POST /leads/{id}/convert, answered 200 converted (5 activities) | ${product.toFixed(1)} |`);
    console.log(`| no-op workflow, 5 no-op activities, same server | ${peer.toFixed(1)} |`);
    console.log(`| ratio | ${ratio.toFixed(2)}× |\n`);
    mkdirSync(resolve(root, 'bench/results'), { recursive: true });
    writeFileSync(resolve(root, 'bench/results/conversions.json'), `${JSON.stringify({
      at: new Date().toISOString(), count: COUNT, concurrency: CONCURRENCY, per_second: { convert_lead: product, noop_workflow: peer }, ratio,
    }, null, 2)}\n`);
    const result: Result = {
      name: `lead conversions end to end vs a no-op workflow (${CONCURRENCY} at a time)`, count: COUNT, concurrency: CONCURRENCY,
      p50: 0, p95: 0, p99: 0, rps: product, target: { p95Ms: 0 }, ok: true,
      custom: { target: 'figure (no target)', value: `${product.toFixed(1)}/s vs ${peer.toFixed(1)}/s no-op (${ratio.toFixed(2)}×)` },
    };
    return [result];
  } finally {
    await worker.stop();
  }
};
