// Webhooks: BENCH_WEBHOOK_EVENTS (10,000) domain events committed at a steady BENCH_WEBHOOK_RATE
// per second to a workspace with one endpoint on a healthy loopback receiver. Every event must
// arrive exactly once (verified by webhook-id); the first attempt's latency after the commit is
// measured (p95 ≤ 1 s). Then a burst of BENCH_WEBHOOK_BURST events committed at once measures
// how many deliveries per second the one worker sustains.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from '../../platform/db.ts';
import { newId } from '../../platform/ids.ts';
import type { Result } from '../measure.ts';
import type { BenchSuite } from '../suite.ts';
import { inTransaction } from '../../platform/transaction.ts';

const EVENTS = Number(process.env.BENCH_WEBHOOK_EVENTS ?? 10_000);
const RATE = Number(process.env.BENCH_WEBHOOK_RATE ?? 40);
const BURST = Number(process.env.BENCH_WEBHOOK_BURST ?? 2_000);
const TICK_MS = 100;

export const webhooksBench: BenchSuite = async ({ deps, base, token, workspaceId, say }) => {
  const arrivals = new Map<string, number[]>();
  const receiver = createServer((req, res) => {
    const at = performance.timeOrigin + performance.now();
    const id = String(req.headers['webhook-id']);
    arrivals.set(id, [...(arrivals.get(id) ?? []), at]);
    req.resume();
    req.on('end', () => { res.writeHead(204); res.end(); });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
  const res = await fetch(`${base}/webhooks`, {
    method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'Bench receiver', url, event_types: ['contact.created'] }),
  });
  if (res.status !== 201) throw new Error(`createWebhookEndpoint: ${res.status} ${await res.text()}`);

  const em = deps.orm.em.fork();
  const committedAt = new Map<string, number>();
  /** Commits `n` contact.created events in one transaction; their commit time is when it returns. */
  const commit = async (n: number) => {
    const ids = Array.from({ length: n }, () => newId('evt'));
    await inTransaction(em, (tx) => sql(tx, `insert into outbox_events (id, workspace_id, type, resource_type, resource_id, payload)
      select id, ?, 'contact.created', 'contact', 'con_bench', jsonb_build_object('id', 'con_bench', 'name', 'Bench ' || id)
      from jsonb_array_elements_text(?::jsonb) as id`, [workspaceId, JSON.stringify(ids)]));
    const at = performance.timeOrigin + performance.now();
    for (const id of ids) committedAt.set(id, at);
    return ids;
  };
  const delivered = (ids: readonly string[]) => ids.filter((id) => arrivals.has(id)).length;
  const waitAll = async (ids: readonly string[], timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    let last = -1;
    while (delivered(ids) < ids.length && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      const now = delivered(ids);
      if (now !== last && now % 1000 < 100) say(`  ${now}/${ids.length} delivered`);
      last = now;
    }
  };
  const summarize = (name: string, ids: readonly string[], concurrency: number, p95Ms: number): Result => {
    const latencies = ids.map((id) => (arrivals.get(id)?.[0] ?? Number.POSITIVE_INFINITY) - committedAt.get(id)!).sort((a, b) => a - b);
    const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!;
    const first = Math.min(...ids.map((id) => committedAt.get(id)!));
    const lastArrival = Math.max(...ids.map((id) => arrivals.get(id)?.[0] ?? 0));
    const duplicates = ids.filter((id) => (arrivals.get(id)?.length ?? 0) > 1).length;
    const missing = ids.length - delivered(ids);
    if (duplicates || missing) say(`  ${name}: ${missing} missing, ${duplicates} delivered more than once`);
    return {
      name, count: ids.length, concurrency, p50: pct(50), p95: pct(95), p99: pct(99),
      rps: ids.length / ((lastArrival - first) / 1000), target: { p95Ms }, ok: !duplicates && !missing && pct(95) <= p95Ms,
    };
  };

  /** Where the time goes, from the rows each step leaves: relay, workflow start, first attempt. */
  const breakdown = async () => {
    const [row] = await sql<Record<string, number>[]>(em, `
      select percentile_cont(0.95) within group (order by extract(epoch from e.published_at - e.occurred_at)) * 1000 as relay_p95,
             percentile_cont(0.95) within group (order by extract(epoch from c.dispatched_at - e.published_at)) * 1000 as start_p95,
             percentile_cont(0.95) within group (order by extract(epoch from a.started_at - c.dispatched_at)) * 1000 as attempt_p95,
             percentile_cont(0.95) within group (order by a.duration_ms) as post_p95
      from outbox_events e
      join webhook_deliveries d on d.event_id = e.id
      join workflow_commands c on c.workflow_id = 'webhook-delivery-' || d.id
      join webhook_attempts a on a.delivery_id = d.id and a.attempt = 1
      where e.workspace_id = ?`, [workspaceId]);
    say(`  p95 ms: commit → relayed ${row?.relay_p95?.toFixed(0)}, → workflow started ${row?.start_p95?.toFixed(0)}, → first attempt ${row?.attempt_p95?.toFixed(0)}, POST ${row?.post_p95?.toFixed(0)}`);
  };

  try {
    say(`webhooks: ${EVENTS} events at ${RATE}/s...`);
    const steady: string[] = [];
    const started = performance.now();
    for (let tick = 0; steady.length < EVENTS; tick++) {
      const due = Math.min(EVENTS, Math.round(((tick + 1) * TICK_MS / 1000) * RATE)) - steady.length;
      if (due > 0) steady.push(...await commit(due));
      const wait = started + (tick + 1) * TICK_MS - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    await waitAll(steady, 300_000);
    await breakdown();
    const results = [summarize(`webhook first attempt after commit (${EVENTS} events at ${RATE}/s)`, steady, 1, 1000)];

    say(`webhooks: a burst of ${BURST} events committed at once...`);
    const burst = [];
    for (let i = 0; i < BURST; i += 500) burst.push(...await commit(Math.min(500, BURST - i)));
    await waitAll(burst, 600_000);
    await breakdown();
    // In a burst the latency is mostly queueing; its req/s is what one worker sustains.
    results.push(summarize(`webhook deliveries/s on one worker (burst of ${BURST})`, burst, 1, 600_000));
    return results;
  } finally {
    receiver.closeAllConnections();
    receiver.close();
  }
};
