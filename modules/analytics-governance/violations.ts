// Ajv's errors for a payload, as the contract's typed violations: a dotted property path, a code
// from a closed set, a message. One violation per value: a value of the wrong type is reported
// as that only, not also as outside its enum.
import type { ErrorObject } from 'ajv/dist/2020.js';
import type { Schema } from '../../api/operations.ts';
import { article } from './shapes.ts';

export type Violation = Schema<'AnalyticsViolation'>;
type Code = Violation['code'];

const CODES: Record<string, Code> = {
  required: 'missing_required',
  additionalProperties: 'unexpected_property',
  type: 'wrong_type',
  format: 'wrong_type',
  enum: 'not_allowed_value',
  pattern: 'pattern_mismatch',
  minimum: 'out_of_range',
  maximum: 'out_of_range',
  minLength: 'out_of_range',
  maxLength: 'out_of_range',
  minItems: 'out_of_range',
  maxItems: 'out_of_range',
};

const segmentsOf = (instancePath: string) =>
  instancePath ? instancePath.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')) : [];

/** At most `limit` violations, in Ajv's order. */
export function toViolations(errors: readonly ErrorObject[], payload: unknown, limit: number): { violations: Violation[]; total: number } {
  const mistyped = new Set(errors.filter((e) => e.keyword === 'type' || e.keyword === 'format').map((e) => e.instancePath));
  const violations: Violation[] = [];
  let total = 0;
  for (const e of errors) {
    const code = CODES[e.keyword] ?? 'wrong_type';
    if (code !== 'wrong_type' && code !== 'missing_required' && code !== 'unexpected_property' && mistyped.has(e.instancePath)) continue;
    total++;
    if (violations.length < limit) violations.push(describe(e, code, payload));
  }
  return { violations, total };
}

function describe(e: ErrorObject, code: Code, payload: unknown): Violation {
  const segments = segmentsOf(e.instancePath);
  const params = e.params as Record<string, any>;
  if (e.keyword === 'required' || e.keyword === 'additionalProperties') {
    const key: string = e.keyword === 'required' ? params.missingProperty : params.additionalProperty;
    const path = [...segments, key].join('.');
    const where = segments.length ? `a key of ${segments.join('.')}` : 'a property of this event';
    return { property: path, code, severity: 'error', message: e.keyword === 'required' ? `${path} is required` : `${path} is not ${where}` };
  }
  const path = segments.join('.');
  const value = valueAt(payload, segments);
  const message = (() => {
    switch (e.keyword) {
      case 'type': return `must be ${article(String(params.type))} (got ${kindOf(value)})`;
      case 'format': return `must be an RFC 3339 date-time (got ${show(value)})`;
      case 'enum': return `must be one of: ${listed(params.allowedValues)} (got ${show(value)})`;
      case 'pattern': return `must match the pattern ${params.pattern} (got ${show(value)})`;
      case 'minimum': return `must be ≥ ${params.limit} (got ${show(value)})`;
      case 'maximum': return `must be ≤ ${params.limit} (got ${show(value)})`;
      case 'minLength': return `must be at least ${params.limit} characters long`;
      case 'maxLength': return `must be at most ${params.limit} characters long`;
      case 'minItems': return `must have at least ${params.limit} items`;
      case 'maxItems': return `must have at most ${params.limit} items`;
      default: return e.message ?? 'is invalid';
    }
  })();
  return { property: path || null, code, severity: 'error', message: `${path || 'the payload'} ${message}` };
}

function valueAt(root: unknown, segments: string[]): unknown {
  let node = root;
  for (const s of segments) node = node !== null && typeof node === 'object' && Object.hasOwn(node, s) ? (node as Record<string, unknown>)[s] : undefined;
  return node;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a number';
  return article(typeof value);
}

const show = (value: unknown) => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};

const listed = (values: unknown[]) => values.length > 10
  ? `${values.slice(0, 10).map(show).join(', ')}, ... (${values.length} values)`
  : values.map(show).join(', ');
