// Latency percentiles and throughput of an async operation run `count` times by `concurrency`
// clients, after a short warm-up.
/** A latency target; `label` replaces "p95 ≤ N" in the table for a suite that judges otherwise (ratios). */
export interface Target { p95Ms: number; label?: string }
export interface Result {
  name: string; count: number; concurrency: number; p50: number; p95: number; p99: number; rps: number; target: Target; ok: boolean;
  /** A measure other than latency (memory, throughput): printed as its value against its target. */
  custom?: { value: string; target: string };
}

export async function measure(name: string, count: number, concurrency: number, op: () => Promise<void>, target: Target): Promise<Result> {
  for (let i = 0; i < Math.min(20, count); i++) await op();
  const durations: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count) {
      next++;
      const t0 = performance.now();
      await op();
      durations.push(performance.now() - t0);
    }
  }));
  const elapsed = (performance.now() - started) / 1000;
  durations.sort((a, b) => a - b);
  const pct = (p: number) => durations[Math.min(durations.length - 1, Math.floor((p / 100) * durations.length))]!;
  const result = { name, count, concurrency, p50: pct(50), p95: pct(95), p99: pct(99), rps: count / elapsed, target, ok: pct(95) <= target.p95Ms };
  return result;
}
