// Idempotency-Key: the first response to a key (per workspace and operation) is stored and
// replayed for 24 h. The key is claimed with a committed insert on the primary key, so exactly one
// of many concurrent requests runs; the claim is completed in the same transaction as the write
// (the `write` helper of api/operations.ts), so a crash can never leave a write without its stored response. A claim whose
// holder died is taken over once it is older than STALE_CLAIM_MS.
import { createHash } from 'node:crypto';
import { sql, type EntityManager } from '../../platform/db.ts';
import { ApiError } from '../../platform/errors.ts';
import type { Operation } from '../contract.ts';
import type { IdempotencyClaim, Reply, ValidatedInput } from '../state.ts';
import { countIdempotency } from '../metrics.ts';

export const IDEMPOTENCY_TTL_HOURS = 24;
const STALE_CLAIM_MS = 60_000;


export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}


/**
 * Runs `run` under the request's idempotency key, if it has one: the first answer to a key is
 * stored; a retry with the same request gets it back (setHeader Idempotent-Replayed: true), one
 * with another request 409, one while the first runs 409 with Retry-After.
 */
export async function withIdempotency(
  op: Operation, em: EntityManager, workspaceId: string, input: ValidatedInput, headerKey: string | undefined,
  run: (claim: IdempotencyClaim | null) => Promise<Reply>, setHeader: (name: string, value: string) => void,
): Promise<Reply> {
  const bodyKey = input.body && typeof input.body === 'object' ? (input.body as Record<string, unknown>).idempotency_key as string | undefined : undefined;
  if (headerKey && bodyKey && headerKey !== bodyKey) {
    throw new ApiError(422, 'validation_failed', 'The Idempotency-Key header and the body\'s idempotency_key differ; send one, or the same value in both.',
      { fields: [{ field: 'idempotency_key', problem: 'differs from the Idempotency-Key header' }] });
  }
  if (bodyKey !== undefined) delete (input.body as Record<string, unknown>).idempotency_key;
  const key = headerKey || bodyKey;
  if (!key) return run(null);
  if (key.length > 255) {
    throw new ApiError(422, 'validation_failed', 'The idempotency key must be at most 255 characters.', { fields: [{ field: 'Idempotency-Key', problem: 'is longer than 255 characters' }] });
  }

  const claim: IdempotencyClaim = { workspaceId, operation: op.operationId, key };
  const requestHash = createHash('sha256').update(canonicalJson({ path: input.path, query: input.query, body: input.body ?? null })).digest('hex');
  const existing = await claimKey(em, claim, requestHash);
  if (existing) {
    if (existing.request_hash !== requestHash) {
      countIdempotency(op.operationId, 'key_reused');
      throw new ApiError(409, 'idempotency_key_reused', 'The idempotency key was reused with a different request body.', { idempotency_key: key });
    }
    if (existing.state === 'in_progress') {
      countIdempotency(op.operationId, 'in_progress');
      throw new ApiError(409, 'idempotency_request_in_progress', 'A request with this idempotency key is still being processed; retry shortly.',
        { idempotency_key: key }, { 'Retry-After': '1' });
    }
    countIdempotency(op.operationId, 'replayed');
    setHeader('Idempotent-Replayed', 'true');
    return { status: existing.response_status!, body: existing.response_body! };
  }
  try {
    const reply = await run(claim);
    // 202 means "still running": a retry with the same key must see the current state, not a
    // stale "accepted", so the key is released (the workflow's own id keeps the work single).
    if (reply.status === 202) await releaseClaim(em, claim);
    // A `write` stored its response with its change; other handlers' answers are stored here.
    else if (!claim.completed) await completeIfOpen(em, claim, reply.status, reply.body);
    return reply;
  } catch (err) {
    // A client error is the answer to this key; a server error releases it for a retry.
    const status = (err as ApiError).status;
    if (err instanceof ApiError && status < 500) {
      await completeClaim(em, claim, status, { error: { code: err.code, message: err.message, details: err.details } });
    } else {
      await releaseClaim(em, claim);
    }
    throw err;
  }
}

interface KeyRow { request_hash: string; state: 'in_progress' | 'completed'; response_status: number | null; response_body: Record<string, unknown> | null }

/** Returns null when this request now holds the key, else the row of the request that does. */
async function claimKey(em: EntityManager, claim: IdempotencyClaim, requestHash: string): Promise<KeyRow | null> {
  const inserted = await sql<{ key: string }[]>(em,
    `insert into idempotency_keys (workspace_id, operation, key, request_hash, state, expires_at)
     values (?, ?, ?, ?, 'in_progress', now() + interval '${IDEMPOTENCY_TTL_HOURS} hours')
     on conflict (workspace_id, operation, key) do update set
       request_hash = excluded.request_hash, state = 'in_progress', response_status = null, response_body = null,
       locked_at = now(), created_at = now(), expires_at = excluded.expires_at
     where idempotency_keys.expires_at < now()
        or (idempotency_keys.state = 'in_progress' and idempotency_keys.locked_at < now() - interval '${STALE_CLAIM_MS} milliseconds')
     returning key`,
    [claim.workspaceId, claim.operation, claim.key, requestHash]);
  if (inserted.length) return null;
  const rows = await sql<KeyRow[]>(em,
    'select request_hash, state, response_status, response_body from idempotency_keys where workspace_id = ? and operation = ? and key = ?',
    [claim.workspaceId, claim.operation, claim.key]);
  return rows[0] ?? null;
}

export async function completeClaim(em: EntityManager, claim: IdempotencyClaim, status: number, body: Record<string, unknown>): Promise<void> {
  await sql(em,
    `update idempotency_keys set state = 'completed', response_status = ?, response_body = ?::jsonb
     where workspace_id = ? and operation = ? and key = ?`,
    [status, JSON.stringify(body), claim.workspaceId, claim.operation, claim.key]);
}

/** Stores the response of a handler that answered without `write` (no-op otherwise). */
export async function completeIfOpen(em: EntityManager, claim: IdempotencyClaim, status: number, stored: Record<string, unknown>): Promise<void> {
  await sql(em,
    `update idempotency_keys set state = 'completed', response_status = ?, response_body = ?::jsonb
     where workspace_id = ? and operation = ? and key = ? and state = 'in_progress'`,
    [status, JSON.stringify(stored), claim.workspaceId, claim.operation, claim.key]);
}

async function releaseClaim(em: EntityManager, claim: IdempotencyClaim): Promise<void> {
  await sql(em, 'delete from idempotency_keys where workspace_id = ? and operation = ? and key = ?',
    [claim.workspaceId, claim.operation, claim.key]);
}
