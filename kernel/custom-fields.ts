// PATCH semantics of custom_fields (docs/contract-decisions.md): a shallow merge into the stored
// object where a key set to null is removed. The 100-key limit holds for the merged result too.
import { ruleViolation } from '../platform/errors.ts';

export const MAX_CUSTOM_FIELDS = 100;

export function mergeCustomFields(current: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  const count = Object.keys(merged).length;
  if (count > MAX_CUSTOM_FIELDS) {
    throw ruleViolation('custom_fields', `custom_fields would hold ${count} keys after the merge; the limit is ${MAX_CUSTOM_FIELDS}. Set unused keys to null to remove them.`);
  }
  return merged;
}
