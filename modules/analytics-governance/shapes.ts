// A property's type and constraints (its "shape"), the same for a top-level property, an array's
// items and an object's nested keys. Checked for consistency when defined, so the plan never
// holds a constraint that cannot be met or does not apply, then stored normalized.
import type { FieldProblem } from '../../platform/errors.ts';
import { newAnalysisBudget, patternProblem, type AnalysisBudget } from './pattern-safety.ts';

export const PROPERTY_TYPES = ['string', 'number', 'integer', 'boolean', 'date_time', 'object', 'array'] as const;
export type PropertyType = typeof PROPERTY_TYPES[number];

export interface Shape {
  type: PropertyType;
  description?: string;
  /** Only for an object's nested keys: whether the object must carry it. */
  required?: boolean;
  enum?: (string | number)[];
  pattern?: string;
  min?: number;
  max?: number;
  items?: Shape;
  properties?: Record<string, Shape>;
}

/** What a property stores beside its type, description and required default. */
export type Constraints = Pick<Shape, 'enum' | 'pattern' | 'min' | 'max' | 'items' | 'properties'>;

/** A property is depth 1; its items or nested keys are 2, and so on. */
export const MAX_DEPTH = 4;

type Role = 'property' | 'item' | 'nested';

const ENUM_TYPES: readonly PropertyType[] = ['string', 'number', 'integer'];
const BOUNDED_TYPES: readonly PropertyType[] = ['string', 'number', 'integer', 'array'];

/** Every inconsistency of a shape and what it nests, each naming its field (`items.pattern`). */
export function shapeProblems(shape: Shape, at = '', depth = 1, role: Role = 'property', budget: AnalysisBudget = newAnalysisBudget()): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const add = (field: string, problem: string) => problems.push({ field: `${at}${field}`, problem });
  const { type } = shape;

  if (role === 'item' && shape.required === true) add('required', 'applies only to an object\'s nested keys, not to array items');
  let regex: RegExp | null = null;
  if (shape.pattern !== undefined) {
    if (type !== 'string') add('pattern', 'is allowed only for string properties');
    else {
      const problem = patternProblem(shape.pattern, budget);
      if (problem) add('pattern', problem);
      else regex = new RegExp(shape.pattern, 'u');
    }
  }
  if (shape.min !== undefined || shape.max !== undefined) {
    if (!BOUNDED_TYPES.includes(type)) {
      add(shape.min !== undefined ? 'min' : 'max', 'is allowed only for number, integer, string (length) and array (item count) properties');
    } else {
      if (type === 'string' || type === 'array') {
        const what = type === 'string' ? 'a length' : 'an item count';
        for (const bound of ['min', 'max'] as const) {
          const value = shape[bound];
          if (value !== undefined && !(Number.isInteger(value) && value >= 0)) add(bound, `must be a non-negative integer (${what})`);
        }
      }
      if (shape.min !== undefined && shape.max !== undefined && shape.min > shape.max) add('min', `must not exceed max (${shape.max})`);
    }
  }
  if (shape.enum !== undefined) {
    if (!ENUM_TYPES.includes(type)) add('enum', 'is allowed only for string, number and integer properties');
    else shape.enum.forEach((value, i) => { const problem = enumValueProblem(shape, value, regex); if (problem) add(`enum.${i}`, problem); });
  }
  if (shape.items !== undefined) {
    if (type !== 'array') add('items', 'is allowed only for array properties');
    else if (depth >= MAX_DEPTH) add('items', `nests deeper than ${MAX_DEPTH} levels`);
    else problems.push(...shapeProblems(shape.items, `${at}items.`, depth + 1, 'item', budget));
  }
  if (shape.properties !== undefined) {
    if (type !== 'object') add('properties', 'is allowed only for object properties');
    else if (depth >= MAX_DEPTH) add('properties', `nests deeper than ${MAX_DEPTH} levels`);
    else {
      for (const [key, nested] of Object.entries(shape.properties)) {
        problems.push(...shapeProblems(nested, `${at}properties.${key}.`, depth + 1, 'nested', budget));
      }
    }
  }
  return problems;
}

/** An allowed value must be of the property's type and meet its other constraints. */
function enumValueProblem(shape: Shape, value: string | number, regex: RegExp | null): string | null {
  const fits = shape.type === 'string' ? typeof value === 'string'
    : shape.type === 'integer' ? Number.isInteger(value)
      : typeof value === 'number';
  if (!fits) return `must be ${article(shape.type)} like the property (got ${JSON.stringify(value)})`;
  const measure = typeof value === 'string' ? [...value].length : value;
  const unit = typeof value === 'string' ? ' characters' : '';
  if (shape.min !== undefined && measure < shape.min) return `is below min (${shape.min}${unit})`;
  if (shape.max !== undefined && measure > shape.max) return `is above max (${shape.max}${unit})`;
  if (typeof value === 'string' && regex && !regex.test(value)) {
    return 'does not match the pattern';
  }
  return null;
}

export const article = (type: string) => (/^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`);

/** The shape as stored and compared: only the fields given, in one key order; nested keys always say `required`. */
export function normalizeShape(input: Shape, role: Role): Shape {
  const out: Shape = { type: input.type };
  if (input.description !== undefined) out.description = input.description;
  if (role === 'nested') out.required = input.required ?? false;
  Object.assign(out, normalizeConstraints(input));
  return out;
}

export function normalizeConstraints(input: Constraints): Constraints {
  const out: Constraints = {};
  if (input.enum !== undefined) out.enum = input.enum;
  if (input.pattern !== undefined) out.pattern = input.pattern;
  if (input.min !== undefined) out.min = input.min;
  if (input.max !== undefined) out.max = input.max;
  if (input.items !== undefined) out.items = normalizeShape(input.items, 'item');
  if (input.properties !== undefined) {
    out.properties = Object.fromEntries(Object.entries(input.properties).map(([k, v]) => [k, normalizeShape(v, 'nested')]));
  }
  return out;
}
