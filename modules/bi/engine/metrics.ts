// BI for Prometheus: statement time by source and outcome, how old the snapshot that answered
// was, and snapshot table builds (time, rows).
import { Counter, Histogram, LATENCY_BUCKETS, metricsRegistry } from '../../../platform/metrics.ts';

const queries = new Histogram({
  name: 'slab5_bi_query_duration_seconds', help: 'BI statements (snapshot lease, queueing and execution) by source (snapshot, mock) and outcome (ok, error).',
  labelNames: ['source', 'outcome'] as const, buckets: [...LATENCY_BUCKETS, 60], registers: [metricsRegistry],
});
const snapshotAge = new Histogram({
  name: 'slab5_bi_snapshot_age_seconds', help: 'Age of the snapshot each BI statement read (its data\'s staleness).',
  buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1200, 3600], registers: [metricsRegistry],
});
const builds = new Histogram({
  name: 'slab5_bi_snapshot_build_duration_seconds', help: 'Snapshot table builds (a copy of one workspace\'s table from PostgreSQL).',
  buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120], registers: [metricsRegistry],
});
const rowsCopied = new Counter({ name: 'slab5_bi_snapshot_rows_copied_total', help: 'Rows copied into BI snapshots.', registers: [metricsRegistry] });

export function observeBiQuery(source: 'snapshot' | 'mock', ok: boolean, startedMs: number, snapshotAt: Date | null): void {
  queries.labels(source, ok ? 'ok' : 'error').observe((performance.now() - startedMs) / 1000);
  if (snapshotAt) snapshotAge.observe(Math.max(0, (Date.now() - snapshotAt.getTime()) / 1000));
}

export function observeSnapshotBuild(ms: number, rows: number): void {
  builds.observe(ms / 1000);
  rowsCopied.inc(rows);
}
