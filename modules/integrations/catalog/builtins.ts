// The built-in event types: every event some module declares in its manifest (registry.events,
// given to the API as deps.eventTypes), with the JSON Schema of its data. A module's new event
// appears here with no edit of this module.
import type { CatalogEventType } from '../../../api/deps.ts';
import { contractPayloadSchema } from './payload-schemas.ts';

export interface CatalogEntry {
  id: string;
  key: string;
  category: string;
  description: string | null;
  source: 'builtin' | 'custom';
  payload_schema: Record<string, unknown> | null;
  created_at: string;
}

/** Built-in types exist since the product does; their listing shows this date. */
export const BUILTIN_CREATED_AT = '2026-11-28T00:00:00.000Z';

/** A stable id per key: dots become dashes (keys are lower-case letters, digits, `_` and dots). */
export const builtinId = (key: string) => `iet_${key.replace(/\./g, '-')}`;

const built = new WeakMap<readonly CatalogEventType[], CatalogEntry[]>();

/** The catalog's built-in entries in code-point order of key (as SQL's collate "C"), computed once per list. */
export function builtinEventTypes(specs: readonly CatalogEventType[]): CatalogEntry[] {
  let entries = built.get(specs);
  if (!entries) {
    entries = specs.map((spec) => ({
      id: builtinId(spec.type),
      key: spec.type,
      // Categories are machine keys: the module `activity-log` is the category `activity_log`.
      category: spec.category.replace(/-/g, '_'),
      description: spec.description,
      source: 'builtin' as const,
      payload_schema: typeof spec.schema === 'string' ? contractPayloadSchema(spec.schema) : { $schema: 'https://json-schema.org/draft/2020-12/schema', ...spec.schema },
      created_at: BUILTIN_CREATED_AT,
    })).sort((a, b) => (a.key < b.key ? -1 : 1));
    built.set(specs, entries);
  }
  return entries;
}
