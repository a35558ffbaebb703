// autocannon ships no types; the load test reads these fields of its result.
declare module 'autocannon' {
  interface Result {
    requests: { total: number; average: number };
    latency: { p99: number };
    errors: number;
    timeouts: number;
    statusCodeStats?: Record<string, { count: number }>;
  }
  export default function autocannon(opts: Record<string, unknown>): Promise<Result>;
}
