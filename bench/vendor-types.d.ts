// The little of autocannon the benchmarks and the reliability suite's load test use (it ships no
// types). Ambient: one declaration for the whole project.
declare module 'autocannon' {
  namespace autocannon {
    interface Request { method?: string; path?: string; headers?: Record<string, string>; body?: string; setupRequest?: (req: Request) => Request }
    interface Histogram { average: number; p50: number; p99: number; total: number }
    interface Result {
      requests: Histogram; latency: Histogram; errors: number; timeouts: number; non2xx: number; '2xx': number;
      statusCodeStats?: Record<string, { count: number }>;
    }
    interface Options { url: string; connections?: number; duration?: number; timeout?: number; headers?: Record<string, string>; requests?: Request[] }
  }
  function autocannon(opts: autocannon.Options): Promise<autocannon.Result>;
  export default autocannon;
}
