// Per-workspace requests per second, counted in PostgreSQL so every API process shares one
// budget. A fixed one-second window per workspace, one row each: no cleanup needed.
import { ApiError } from '../../platform/errors.ts';
import { sql, type EntityManager } from '../../platform/db.ts';
import type { Workspace } from '../../kernel/tenancy/entities.ts';

/** Counts one request; answers the RateLimit-* headers, or throws 429 with them. */
export async function consumeRateLimit(em: EntityManager, workspace: Workspace, defaultPerSecond: number): Promise<Record<string, string>> {
  const limit = workspace.rate_limit_per_second ?? defaultPerSecond;
  const nowMs = Date.now();
  const window = Math.floor(nowMs / 1000);
  const rows = await sql<{ request_count: number }[]>(em,
    `insert into rate_limit_windows (workspace_id, window_start, request_count) values (?, ?, 1)
     on conflict (workspace_id) do update set
       request_count = case when rate_limit_windows.window_start = excluded.window_start then rate_limit_windows.request_count + 1 else 1 end,
       window_start = excluded.window_start
     returning request_count`, [workspace.id, window]);
  const used = rows[0]!.request_count;
  const resetSeconds = Math.max(1, Math.ceil((window + 1) * 1000 - nowMs) / 1000);
  const headers = {
    'RateLimit-Limit': String(limit),
    'RateLimit-Remaining': String(Math.max(0, limit - used)),
    'RateLimit-Reset': String(Math.ceil(resetSeconds)),
  };
  if (used > limit) {
    throw new ApiError(429, 'rate_limited', `The workspace exceeded the current rate limit of ${limit} requests per second.`,
      { limit, window_seconds: 1 }, { ...headers, 'Retry-After': String(Math.ceil(resetSeconds)) });
  }
  return headers;
}
