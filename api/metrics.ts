// The API's request series. A request costs one lookup of a cached (operation, status) child and
// one histogram observe: the histogram's _count is the request count, its buckets the latency.
import { Counter, Histogram, LATENCY_BUCKETS, metricsRegistry } from '../platform/metrics.ts';

const requests = new Histogram({
  name: 'slab5_http_request_duration_seconds',
  help: 'API requests by operationId (or the system route, or "unmatched") and status: _count is the request count.',
  labelNames: ['operation', 'status'] as const, buckets: LATENCY_BUCKETS, registers: [metricsRegistry],
});

const rateLimited = new Counter({
  name: 'slab5_http_rate_limited_total', help: 'Requests answered 429 rate_limited, by operationId.',
  labelNames: ['operation'] as const, registers: [metricsRegistry],
});

const idempotency = new Counter({
  name: 'slab5_idempotency_total',
  help: 'Requests carrying an Idempotency-Key that did not run the operation: replayed (the stored response), in_progress (409), key_reused (409).',
  labelNames: ['operation', 'outcome'] as const, registers: [metricsRegistry],
});

type Child = ReturnType<typeof requests.labels>;
const children = new Map<string, Map<number, Child>>();

export function observeRequest(operation: string, status: number, seconds: number): void {
  let byStatus = children.get(operation);
  if (!byStatus) children.set(operation, byStatus = new Map());
  let child = byStatus.get(status);
  if (!child) byStatus.set(status, child = requests.labels(operation, String(status)));
  child.observe(seconds);
  if (status === 429) rateLimited.labels(operation).inc();
}

export function countIdempotency(operation: string, outcome: 'replayed' | 'in_progress' | 'key_reused'): void {
  idempotency.labels(operation, outcome).inc();
}
