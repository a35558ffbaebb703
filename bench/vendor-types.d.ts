// The little of autocannon and pg the side-by-side benchmark uses (neither ships types; pg comes
// with the ORM's driver). Enough to type-check bench/suites/http.ts and its bare-server fixture.
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

declare module 'pg' {
  interface QueryResult { rows: Array<Record<string, any>> }
  interface PoolClient { query(text: string, values?: unknown[]): Promise<QueryResult>; release(): void }
  class Pool {
    constructor(opts: { connectionString?: string; max?: number });
    query(text: string, values?: unknown[]): Promise<QueryResult>;
    connect(): Promise<PoolClient>;
    end(): Promise<void>;
  }
  const pg: { Pool: typeof Pool };
  export default pg;
}
