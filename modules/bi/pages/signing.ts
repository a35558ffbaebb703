// Signed page links: no token in the URL, only an HMAC over the object, its workspace and the
// expiry, keyed from the server's secret. Changing any of them, or waiting past the expiry,
// makes the link refuse.
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface PageClaim { kind: 'report' | 'dashboard'; id: string; workspaceId: string; expiresAt: Date }

const keyOf = (secret: string) => createHmac('sha256', secret).update('slab5 bi page links').digest();
const mac = (secret: string, c: PageClaim) =>
  createHmac('sha256', keyOf(secret)).update(`${c.kind}\n${c.id}\n${c.workspaceId}\n${Math.floor(c.expiresAt.getTime() / 1000)}`).digest('base64url');

/** The page's path and query: `/bi/pages/<report|dashboard>/<id>?workspace=...&expires=...&signature=...`. */
export function signedPagePath(secret: string, c: PageClaim): string {
  const q = new URLSearchParams({ workspace: c.workspaceId, expires: String(Math.floor(c.expiresAt.getTime() / 1000)), signature: mac(secret, c) });
  return `/bi/pages/${c.kind}/${encodeURIComponent(c.id)}?${q}`;
}

/** The claim a link carries when its signature holds and it has not expired; null otherwise. */
export function verifyPageLink(secret: string, kind: PageClaim['kind'], id: string, query: Record<string, unknown>, now = new Date()): PageClaim | null {
  const { workspace, expires, signature } = query;
  if (typeof workspace !== 'string' || typeof expires !== 'string' || typeof signature !== 'string' || !/^\d{1,12}$/.test(expires)) return null;
  const claim: PageClaim = { kind, id, workspaceId: workspace, expiresAt: new Date(Number(expires) * 1000) };
  const expected = Buffer.from(mac(secret, claim));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return claim.expiresAt > now ? claim : null;
}
