// What waits to be relayed, read at scrape time from the partial indexes the relays use: outbox
// events not yet published to the webhook relay, and workflow commands not yet started. A growing
// count or age means a relay is not keeping up or not running (no worker, Temporal unreachable).
import { sql, type MikroORM } from '../platform/db.ts';
import { Gauge, metricsRegistry } from '../platform/metrics.ts';
import type { Logger } from '../platform/logger.ts';

interface Sample { outbox: number; outboxAge: number; commands: number; commandsAge: number }

/** Counts stop here: past it the number says "far behind" just as well, and stays cheap. */
const COUNT_CAP = 100_000;

export function watchBacklog(orm: MikroORM, logger: Logger): void {
  // One query per scrape serves both gauges.
  let pending: Promise<Sample | null> | null = null;
  const sample = () => pending ??= read(orm).catch((err: unknown) => {
    logger.warn({ err }, 'backlog metrics: the database did not answer');
    return null;
  }).finally(() => setTimeout(() => { pending = null; }, 1000).unref());

  new Gauge({
    name: 'slab5_backlog', help: `Items waiting, by queue: outbox (events the webhook relay has not published), workflow_commands (starts not yet made); capped at ${COUNT_CAP}.`,
    labelNames: ['queue'] as const, registers: [metricsRegistry],
    async collect() {
      const s = await sample();
      if (!s) return this.reset();
      this.set({ queue: 'outbox' }, s.outbox);
      this.set({ queue: 'workflow_commands' }, s.commands);
    },
  });
  new Gauge({
    name: 'slab5_backlog_oldest_age_seconds', help: 'Age of the oldest waiting item by queue (0 when none waits).',
    labelNames: ['queue'] as const, registers: [metricsRegistry],
    async collect() {
      const s = await sample();
      if (!s) return this.reset();
      this.set({ queue: 'outbox' }, s.outboxAge);
      this.set({ queue: 'workflow_commands' }, s.commandsAge);
    },
  });
}

async function read(orm: MikroORM): Promise<Sample> {
  const [row] = await sql<Record<keyof Sample, string | null>[]>(orm.em.fork(),
    `select (select count(*) from (select 1 from outbox_events where published_at is null limit ${COUNT_CAP}) o) as "outbox",
            (select extract(epoch from now() - min(occurred_at)) from outbox_events where published_at is null) as "outboxAge",
            (select count(*) from (select 1 from workflow_commands where dispatched_at is null and abandoned_at is null limit ${COUNT_CAP}) c) as "commands",
            (select extract(epoch from now() - min(created_at)) from workflow_commands where dispatched_at is null and abandoned_at is null) as "commandsAge"`);
  const n = (v: string | null | undefined) => Math.max(0, Number(v ?? 0));
  return { outbox: n(row?.outbox), outboxAge: n(row?.outboxAge), commands: n(row?.commands), commandsAge: n(row?.commandsAge) };
}
