// One webhook POST: to the address the SSRF guard checked (pinned, so DNS cannot change between
// the check and the connection), with a deadline for the whole exchange, no redirects followed,
// and at most 1 KiB of the response kept.
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { resolveTarget, TargetRefused, type Resolver, type TargetPolicy } from '../targets.ts';

export const USER_AGENT = 'Slab5-Webhooks/1.0 (+https://www.standardwebhooks.com)';
export const DELIVERY_TIMEOUT_MS = 15_000;
export const EXCERPT_BYTES = 1024;
/** The longest Retry-After honoured: a longer one would outlast the endpoint's failure window. */
export const MAX_RETRY_AFTER_MS = 24 * 60 * 60 * 1000;

export interface HttpResult {
  status: number | null;
  durationMs: number;
  excerpt: string | null;
  error: string | null;
  /** From Retry-After on a 429 or 503. */
  retryAfterMs: number | null;
}

export interface PostOptions { policy: TargetPolicy; timeoutMs?: number; resolve?: Resolver; now?: () => number }

export async function postWebhook(rawUrl: string, headers: Record<string, string>, body: string, opts: PostOptions): Promise<HttpResult> {
  const now = opts.now ?? Date.now;
  const started = now();
  const done = (r: Omit<HttpResult, 'durationMs'>): HttpResult => ({ ...r, durationMs: Math.max(0, Math.round(now() - started)) });
  const url = new URL(rawUrl);
  let target: { address: string; family: number };
  try {
    target = await resolveTarget(url, opts.policy, opts.resolve);
  } catch (err) {
    return done({ status: null, excerpt: null, error: err instanceof TargetRefused ? err.message : (err as Error).message, retryAfterMs: null });
  }
  const pinned: LookupFunction = (_host, options, callback) => {
    if ((options as { all?: boolean }).all) (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [target]);
    else callback(null, target.address, target.family);
  };
  const timeoutMs = opts.timeoutMs ?? DELIVERY_TIMEOUT_MS;
  return new Promise<HttpResult>((resolve) => {
    const client = url.protocol === 'https:' ? https : http;
    let settled = false;
    const finish = (r: Omit<HttpResult, 'durationMs'>) => { if (!settled) { settled = true; clearTimeout(timer); resolve(done(r)); } };
    const req = client.request(url, {
      method: 'POST',
      agent: false,
      lookup: pinned,
      headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'user-agent': USER_AGENT },
    }, (res) => {
      const status = res.statusCode ?? null;
      const chunks: Buffer[] = [];
      let size = 0;
      const settle = () => {
        const excerpt = Buffer.concat(chunks).subarray(0, EXCERPT_BYTES).toString('utf8');
        finish({
          status,
          excerpt: excerpt || null,
          error: status !== null && status >= 200 && status < 300 ? null : `HTTP ${status}`,
          retryAfterMs: status === 429 || status === 503 ? parseRetryAfter(res.headers['retry-after'], now()) : null,
        });
        res.destroy();
      };
      res.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        size += chunk.length;
        if (size >= EXCERPT_BYTES) settle();
      });
      res.on('end', settle);
      res.on('error', settle);
    });
    const timer = setTimeout(() => {
      finish({ status: null, excerpt: null, error: `timed out after ${timeoutMs} ms`, retryAfterMs: null });
      req.destroy();
    }, timeoutMs);
    req.on('error', (err: NodeJS.ErrnoException) => finish({ status: null, excerpt: null, error: describeError(err), retryAfterMs: null }));
    req.end(body);
  });
}

function describeError(err: NodeJS.ErrnoException): string {
  if (err.code === 'ECONNREFUSED') return 'connection refused';
  if (err.code === 'ECONNRESET') return 'connection reset';
  if (err.code?.startsWith('ERR_TLS') || err.code?.includes('CERT') || /certificate|SSL|TLS/i.test(err.message)) return `TLS error: ${err.message}`;
  return err.code ? `${err.code}: ${err.message}` : err.message;
}

/** Retry-After as seconds or an HTTP date, in ms from now (capped); null when absent or unreadable. */
export function parseRetryAfter(value: string | string[] | undefined, now: number): number | null {
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw) return null;
  const ms = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) * 1000 : Date.parse(raw) - now;
  if (!Number.isFinite(ms)) return null;
  return Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS);
}
