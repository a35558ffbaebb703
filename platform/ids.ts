// Prefixed, time-sortable ids (each module declares its prefixes in its manifest) (ULID layout: 48-bit ms timestamp + 80 random bits, Crockford
// base32). Monotonic within a process so ids created in one millisecond still sort in order.
import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
let lastTime = 0;
let lastRandom = new Uint8Array(10);

function encode(bytes: Uint8Array, chars: number): string {
  let bits = 0n;
  for (const b of bytes) bits = (bits << 8n) | BigInt(b);
  let out = '';
  for (let i = 0; i < chars; i++) {
    out = ALPHABET[Number(bits & 31n)] + out;
    bits >>= 5n;
  }
  return out;
}

// Random bytes drawn from a pooled buffer: one randomBytes call per 409 ids, not one per id.
const POOL_BYTES = 4090;
let pool = randomBytes(POOL_BYTES);
let offset = 0;
function freshRandom(): Uint8Array<ArrayBuffer> {
  if (offset + 10 > POOL_BYTES) { pool = randomBytes(POOL_BYTES); offset = 0; }
  const out = Uint8Array.from(pool.subarray(offset, offset + 10));
  offset += 10;
  return out;
}

function nextRandom(now: number): Uint8Array {
  if (now === lastTime) {
    const next = Uint8Array.from(lastRandom);
    for (let i = next.length - 1; i >= 0; i--) {
      if (next[i] === 255) { next[i] = 0; continue; }
      next[i]! += 1;
      break;
    }
    lastRandom = next;
  } else {
    lastTime = now;
    lastRandom = freshRandom();
  }
  return lastRandom;
}

export function newId(prefix: string, now = Date.now()): string {
  const time = new Uint8Array(6);
  let t = Math.max(now, lastTime);
  for (let i = 5; i >= 0; i--) { time[i] = t % 256; t = Math.floor(t / 256); }
  return `${prefix}_${encode(time, 10)}${encode(nextRandom(Math.max(now, lastTime)), 16)}`;
}
