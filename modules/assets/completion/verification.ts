// The rules the uploaded object must pass before its asset is available: each failure names the
// request field it is about and a reason (the contract's AssetFailure), and ends the completion
// (non-retryable); the asset is then marked failed and its object deleted.
import type { AssetFailure } from '../entities.ts';
import type { AssetTypeLimits } from '../limits.ts';

export class VerificationFailure extends Error {
  constructor(public readonly reason: AssetFailure['reason'], public readonly field: string, message: string) {
    super(message);
    this.name = 'VerificationFailure';
  }

  get failure(): AssetFailure { return { reason: this.reason, field: this.field, message: this.message }; }
}

/** The object's real size against the declared one (intent or completion) and the asset type's limit. */
export function verifySize(actual: number, declared: number | null, limits: AssetTypeLimits): void {
  if (declared !== null && actual !== declared) {
    throw new VerificationFailure('size_mismatch', 'byte_size', `The uploaded object is ${actual} bytes, not the declared ${declared}.`);
  }
  if (actual > limits.max_bytes) {
    throw new VerificationFailure('size_limit_exceeded', 'byte_size', `The uploaded object is ${actual} bytes; this asset type allows at most ${limits.max_bytes}.`);
  }
}

export function verifyChecksum(actualHex: string, expectedHex: string): void {
  if (actualHex.toLowerCase() !== expectedHex.toLowerCase()) {
    throw new VerificationFailure('checksum_mismatch', 'checksum_sha256', `The uploaded bytes have SHA-256 ${actualHex}, not the declared ${expectedHex.toLowerCase()}.`);
  }
}
