// The custom_field_key / custom_field_value list filter, phrased so the GIN index on
// (workspace_id, custom_fields) serves it: containment (@>) for key + value, key existence (?)
// for a key alone. The contract compares "the JSON value read as text", so "42" matches the
// number 42 and the string "42", and "true" matches true and "true": one containment per reading.
import { validationFailed } from '../platform/errors.ts';

const JSON_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

/** The JSON values whose text reading is `value` (numbers compare numerically, within double precision). */
export function jsonReadings(value: string): unknown[] {
  const readings: unknown[] = [value];
  if (value === 'true' || value === 'false') readings.push(value === 'true');
  else if (JSON_NUMBER.test(value) && Number.isFinite(Number(value))) readings.push(Number(value));
  return readings;
}

/** A filter-query entry for findPage, or null when no custom-field filter was asked for. */
export function customFieldFilter(key: string | undefined, value: string | undefined): Record<string, unknown> | null {
  if (value !== undefined && key === undefined) {
    throw validationFailed([{ field: 'custom_field_value', problem: 'needs custom_field_key (the key whose value it must equal)' }]);
  }
  if (key === undefined) return null;
  if (value === undefined) return { custom_fields: { $hasKey: key } };
  return { $or: jsonReadings(value).map((reading) => ({ custom_fields: { $contains: { [key]: reading } } })) };
}
