// Money is integer cents. The contract caps every amount at 10^13 cents; products and sums are
// computed with BigInt so an oversized input is refused, never rounded.
import { ruleViolation } from '../../../platform/errors.ts';

export const MAX_CENTS = 10_000_000_000_000n;

/** a × b as a checked number of cents, or a 422 on `field` when it passes the cap. */
export function checkedProduct(field: string, a: number, b: number, what: string): number {
  const value = BigInt(a) * BigInt(b);
  if (value > MAX_CENTS) throw ruleViolation(field, `${what} is ${value} cents, above the maximum of ${MAX_CENTS} cents.`, { amount_cents: value.toString(), maximum_cents: Number(MAX_CENTS) });
  return Number(value);
}

/** The sum as a checked number of cents, or a 422 on `field` when it passes the cap. */
export function checkedSum(field: string, values: number[], what: string): number {
  const value = values.reduce((acc, v) => acc + BigInt(v), 0n);
  if (value > MAX_CENTS) throw ruleViolation(field, `${what} is ${value} cents, above the maximum of ${MAX_CENTS} cents.`, { amount_cents: value.toString(), maximum_cents: Number(MAX_CENTS) });
  return Number(value);
}

/** Today's date (UTC) as YYYY-MM-DD, the default issue and entry date. */
export const todayUtc = () => new Date().toISOString().slice(0, 10);
