// The little of autocannon the side-by-side benchmark uses (it ships no types). Enough to
// type-check bench/suites/http.ts.
declare module 'autocannon' {
  namespace autocannon {
    interface Request { method?: string; path?: string; headers?: Record<string, string>; body?: string; setupRequest?: (req: Request) => Request }
    interface Histogram { average: number; p50: number; p99: number }
    interface Result { requests: Histogram; latency: Histogram; errors: number; timeouts: number; non2xx: number; '2xx': number }
    interface Options { url: string; connections?: number; duration?: number; requests?: Request[] }
  }
  function autocannon(opts: autocannon.Options): Promise<autocannon.Result>;
  export default autocannon;
}
