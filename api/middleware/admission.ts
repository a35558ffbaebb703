// Admission in one round trip: the token (unrevoked) with its workspace, and the workspace's
// request counted in its one-second window, by a single statement. The counters live in an
// UNLOGGED table (a PostgreSQL crash resets the current second's counts; no WAL flush per request).
import { ApiError } from '../../platform/errors.ts';
import { sql, type EntityManager } from '../../platform/db.ts';
import { hashToken } from '../../platform/tokens.ts';
import type { ApiToken, Workspace } from '../../kernel/tenancy/entities.ts';
import type { Principal } from './auth.ts';

interface AdmissionRow {
  id: string; workspace_id: string; name: string | null; token_hash: string; scopes: ApiToken['scopes']; created_at: string | Date;
  w_name: string; enabled_modules: Workspace['enabled_modules']; rate_limit_per_second: number | null; w_status: Workspace['status'];
  provisioned_at: string | Date | null; w_created_at: string | Date; w_updated_at: string | Date; request_count: number;
}

export interface Admission { principal: Principal; rateLimitHeaders: Record<string, string> }

/** The principal of a presented token, its request counted; 401 or 429 otherwise. */
export async function admitToken(em: EntityManager, presented: string, defaultPerSecond: number): Promise<Admission> {
  const nowMs = Date.now();
  const window = Math.floor(nowMs / 1000);
  const [row] = await sql<AdmissionRow[]>(em,
    `with t as (
       select tok.id, tok.workspace_id, tok.name, tok.token_hash, tok.scopes, tok.created_at,
              w.name as w_name, w.enabled_modules, w.rate_limit_per_second, w.status as w_status, w.provisioned_at,
              w.created_at as w_created_at, w.updated_at as w_updated_at
         from api_tokens tok join workspaces w on w.id = tok.workspace_id
        where tok.token_hash = ? and tok.revoked_at is null
     ), counted as (
       insert into rate_limit_windows (workspace_id, window_start, request_count)
       select workspace_id, ?, 1 from t
       on conflict (workspace_id) do update set
         request_count = case when rate_limit_windows.window_start = excluded.window_start then rate_limit_windows.request_count + 1 else 1 end,
         window_start = excluded.window_start
       returning request_count
     ) select t.*, (select request_count from counted) as request_count from t`,
    [hashToken(presented), window]);
  if (!row) throw new ApiError(401, 'unauthorized', 'The bearer token is not valid or has been revoked.', null, { 'WWW-Authenticate': 'Bearer realm="slab5"' });
  const token = { id: row.id, workspace_id: row.workspace_id, name: row.name, token_hash: row.token_hash, scopes: row.scopes, created_at: new Date(row.created_at), revoked_at: null } as ApiToken;
  const workspace = {
    id: row.workspace_id, name: row.w_name, enabled_modules: row.enabled_modules, rate_limit_per_second: row.rate_limit_per_second,
    // The raw driver may hand timestamps back as text.
    status: row.w_status, provisioned_at: row.provisioned_at ? new Date(row.provisioned_at) : null,
    created_at: new Date(row.w_created_at), updated_at: new Date(row.w_updated_at),
  } as Workspace;
  const limit = workspace.rate_limit_per_second ?? defaultPerSecond;
  const used = row.request_count;
  const resetSeconds = Math.max(1, Math.ceil(((window + 1) * 1000 - nowMs) / 1000));
  const headers = {
    'RateLimit-Limit': String(limit),
    'RateLimit-Remaining': String(Math.max(0, limit - used)),
    'RateLimit-Reset': String(resetSeconds),
  };
  if (used > limit) {
    throw new ApiError(429, 'rate_limited', `The workspace exceeded the current rate limit of ${limit} requests per second.`,
      { limit, window_seconds: 1 }, { ...headers, 'Retry-After': String(resetSeconds) });
  }
  return { principal: { token, workspace }, rateLimitHeaders: headers };
}
