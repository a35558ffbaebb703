// A collection's typed fields as one JSON Schema, compiled by Ajv (2020 + formats, as the API's
// contract) once per distinct schema: the cache key is the schema's content hash, so a changed
// schema can never meet a stale validator. What Ajv cannot know (that a reference names an entry,
// an asset id an asset) is checked after it, by entry-fields.ts.
import { createHash } from 'node:crypto';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { FieldProblem } from '../../../platform/errors.ts';
import type { CmsFieldDefinition, CmsFieldType } from '../entities.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

export const SHORT_TEXT_MAX = 2_000;
export const LONG_TEXT_MAX = 100_000;

/** Each type's JSON Schema, and the one problem a wrong value of it gets. */
const TYPES: Record<CmsFieldType, { schema: Record<string, unknown>; problem: string }> = {
  string: { schema: { type: 'string', maxLength: SHORT_TEXT_MAX }, problem: `must be a string of at most ${SHORT_TEXT_MAX} characters` },
  text: { schema: { type: 'string', maxLength: LONG_TEXT_MAX }, problem: `must be a string of at most ${LONG_TEXT_MAX} characters` },
  markdown: { schema: { type: 'string', maxLength: LONG_TEXT_MAX }, problem: `must be Markdown text of at most ${LONG_TEXT_MAX} characters` },
  html: { schema: { type: 'string', maxLength: LONG_TEXT_MAX }, problem: `must be HTML text of at most ${LONG_TEXT_MAX} characters` },
  number: { schema: { type: 'number' }, problem: 'must be a number' },
  integer: { schema: { type: 'integer', minimum: -Number.MAX_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER }, problem: 'must be an integer (within ±2^53-1)' },
  boolean: { schema: { type: 'boolean' }, problem: 'must be true or false' },
  date: { schema: { type: 'string', format: 'date' }, problem: 'must be a calendar date, YYYY-MM-DD' },
  date_time: { schema: { type: 'string', format: 'date-time' }, problem: 'must be an RFC 3339 date-time with a time zone, e.g. 2025-01-15T10:00:00Z' },
  url: { schema: { type: 'string', maxLength: 2048, format: 'uri', pattern: '^[Hh][Tt][Tt][Pp][Ss]?://' }, problem: 'must be an absolute http(s) URL of at most 2048 characters' },
  email: { schema: { type: 'string', maxLength: 320, format: 'email' }, problem: 'must be an email address' },
  asset: { schema: { type: 'string', maxLength: 100, pattern: '^asset_[A-Za-z0-9_-]+$' }, problem: 'must be an asset id (asset_...)' },
  reference: { schema: { type: 'string', maxLength: 100, pattern: '^ent_[A-Za-z0-9_-]+$' }, problem: 'must be an entry id (ent_...)' },
  json: { schema: {}, problem: 'must be JSON' },
};

/** Field types the full-text search reads: short ones weigh B, long-form ones C. */
const SHORT_TEXT: CmsFieldType[] = ['string'];
const LONG_TEXT: CmsFieldType[] = ['text', 'markdown', 'html'];

export interface FieldSchema {
  /** Ajv's verdict on a whole `fields` object: one problem per offending field (`fields.<key>`). */
  check: (fields: Record<string, unknown>) => FieldProblem[];
  shortTextKeys: string[];
  longTextKeys: string[];
  referenceKeys: string[];
  assetKeys: string[];
}

const ajv = new Ajv2020({ strict: true, allErrors: true });
addFormats(ajv);

/** Compiled schemas by content hash; the oldest are dropped past the bound (and from Ajv's own cache). */
const compiled = new Map<string, { schema: object; fieldSchema: FieldSchema }>();
const MAX_COMPILED = 500;

export function fieldSchemaOf(fields: readonly CmsFieldDefinition[]): FieldSchema {
  const hash = createHash('sha256').update(JSON.stringify(fields.map((f) => [f.key, f.type, f.required]))).digest('base64url');
  const hit = compiled.get(hash);
  if (hit) {
    compiled.delete(hash);
    compiled.set(hash, hit);
    return hit.fieldSchema;
  }
  const schema = {
    type: 'object',
    properties: Object.fromEntries(fields.map((f) => [f.key, TYPES[f.type].schema])),
    required: fields.filter((f) => f.required).map((f) => f.key),
    additionalProperties: false,
  };
  const fieldSchema = build(fields, ajv.compile(schema));
  compiled.set(hash, { schema, fieldSchema });
  if (compiled.size > MAX_COMPILED) {
    const [oldest, entry] = compiled.entries().next().value!;
    compiled.delete(oldest);
    ajv.removeSchema(entry.schema);
  }
  return fieldSchema;
}

function build(fields: readonly CmsFieldDefinition[], validate: ValidateFunction): FieldSchema {
  const types = new Map(fields.map((f) => [f.key, f.type]));
  const order = new Map(fields.map((f, i) => [f.key, i]));
  const keysOf = (wanted: CmsFieldType[]) => fields.filter((f) => wanted.includes(f.type)).map((f) => f.key);
  return {
    check(values) {
      if (validate(values)) return [];
      const problems = new Map<string, string>();
      for (const e of validate.errors ?? []) {
        if (e.keyword === 'required') {
          problems.set((e.params as { missingProperty: string }).missingProperty, 'is required');
        } else if (e.keyword === 'additionalProperties') {
          problems.set((e.params as { additionalProperty: string }).additionalProperty, 'is not a field of the collection\'s schema');
        } else {
          const key = e.instancePath.split('/')[1]!;
          if (!problems.has(key)) problems.set(key, TYPES[types.get(key)!].problem);
        }
      }
      // In the schema's order, unknown keys last.
      const rank = (key: string) => (types.has(key) ? order.get(key)! : fields.length);
      return [...problems].sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
        .map(([key, problem]) => ({ field: `fields.${key}`, problem }));
    },
    shortTextKeys: keysOf(SHORT_TEXT),
    longTextKeys: keysOf(LONG_TEXT),
    referenceKeys: keysOf(['reference']),
    assetKeys: keysOf(['asset']),
  };
}
