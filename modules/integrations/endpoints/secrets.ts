// Signing secrets and Standard Webhooks signatures (https://www.standardwebhooks.com): a secret
// is `whsec_` + base64 of random bytes, and a signature is `v1,` + base64 HMAC-SHA256, keyed
// with the decoded bytes, of "<webhook-id>.<webhook-timestamp>.<body>". While a rotated secret
// is live the header carries one signature per secret, space-separated; any one verifies.
import { createHmac, randomBytes } from 'node:crypto';

const PREFIX = 'whsec_';
const SECRET_BYTES = 32;
/** How long a rotated-out secret keeps signing, so receivers can switch without dropping any. */
export const ROTATION_OVERLAP_MS = 24 * 60 * 60 * 1000;

export const newSigningSecret = () => `${PREFIX}${randomBytes(SECRET_BYTES).toString('base64')}`;

/** `whsec_abcd...wxyz`: enough to tell secrets apart, never enough to sign. */
export function secretPreview(secret: string): string {
  const body = secret.slice(PREFIX.length);
  return `${PREFIX}${body.slice(0, 4)}...${body.slice(-4)}`;
}

export function signature(secret: string, messageId: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.slice(PREFIX.length), 'base64');
  return `v1,${createHmac('sha256', key).update(`${messageId}.${timestamp}.${body}`).digest('base64')}`;
}

/** The Standard Webhooks headers of one attempt (timestamp in seconds, fresh per attempt). */
export function signedHeaders(secrets: readonly string[], messageId: string, timestamp: number, body: string): Record<string, string> {
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': secrets.map((s) => signature(s, messageId, timestamp, body)).join(' '),
  };
}
