// Webhook delivery attempts for Prometheus: outcome by attempt number (1 is the first try; the
// schedule allows 8) and the receivers' response time.
import { Counter, Histogram, metricsRegistry } from '../../../platform/metrics.ts';
import type { AttemptOutcome } from './types.ts';

const attempts = new Counter({
  name: 'slab5_webhook_delivery_attempts_total',
  help: 'Webhook delivery attempts by outcome (succeeded, failed: retried or given up, gone: 410 disabled the endpoint, held: endpoint paused, abandoned: nothing left to send) and attempt number.',
  labelNames: ['outcome', 'attempt'] as const, registers: [metricsRegistry],
});

const responseTime = new Histogram({
  name: 'slab5_webhook_response_duration_seconds', help: 'Time from sending a webhook to the receiver\'s answer (or the error), by outcome.',
  labelNames: ['outcome'] as const, buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15], registers: [metricsRegistry],
});

export function countAttempt(outcome: AttemptOutcome, durationMs: number | null): void {
  const attempt = 'attempt' in outcome ? String(Math.min(outcome.attempt, 9)) : 'none';
  attempts.labels(outcome.state, attempt).inc();
  if (durationMs !== null) responseTime.labels(outcome.state).observe(durationMs / 1000);
}
