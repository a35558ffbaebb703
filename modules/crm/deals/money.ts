// Deal amounts: integer minor units plus an ISO 4217 code. The contract's pattern only checks the
// code's shape; the runtime's ICU list of currencies rejects codes that do not exist ("ABC").
import { ruleViolation, validationFailed } from '../../../platform/errors.ts';

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

export const isCurrency = (code: string) => CURRENCIES.has(code);

/** An amount needs a currency to mean anything; a currency alone is allowed (the amount comes later). */
export function assertMoney(amount_cents: number | null, currency: string | null): void {
  if (amount_cents !== null && !(Number.isSafeInteger(amount_cents) && amount_cents >= 0)) {
    throw validationFailed([{ field: 'amount_cents', problem: 'must be a non-negative integer number of minor units' }]);
  }
  if (currency !== null && !isCurrency(currency)) {
    throw validationFailed([{ field: 'currency', problem: `"${currency}" is not an ISO 4217 currency code` }]);
  }
  if (amount_cents !== null && currency === null) {
    throw ruleViolation('currency', 'A deal with an amount needs a currency: send currency together with amount_cents.');
  }
}
