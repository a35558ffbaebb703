// An event's plan compiled to a JSON Schema (2020-12): once per version, when the version is
// written, and stored with it. Validation (ours with Ajv, or a client's with any library) checks
// payloads against this document; nothing walks the plan per request.
import type { EventStatus } from './entities.ts';
import type { Shape } from './shapes.ts';

export const JSON_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

type Json = Record<string, unknown>;

export interface PlannedProperty { key: string; shape: Shape; required: boolean }

export interface EventPlan {
  name: string;
  description: string | null;
  status: EventStatus;
  properties: PlannedProperty[];
}

export function compileEventSchema(plan: EventPlan): Json {
  const schema: Json = { $schema: JSON_SCHEMA_DIALECT, title: plan.name };
  if (plan.description) schema.description = plan.description;
  if (plan.status === 'deprecated') schema.deprecated = true;
  schema.type = 'object';
  schema.properties = Object.fromEntries(plan.properties.map((p) => [p.key, shapeSchema(p.shape)]));
  schema.required = plan.properties.filter((p) => p.required).map((p) => p.key);
  schema.additionalProperties = false;
  return schema;
}

/** One value's schema. min/max mean the value, the length or the item count, by type. */
export function shapeSchema(shape: Shape): Json {
  const out: Json = {};
  switch (shape.type) {
    case 'date_time': Object.assign(out, { type: 'string', format: 'date-time' }); break;
    default: out.type = shape.type;
  }
  if (shape.description) out.description = shape.description;
  if (shape.enum) out.enum = shape.enum;
  if (shape.pattern !== undefined) out.pattern = shape.pattern;
  const [minKey, maxKey] = shape.type === 'string' ? ['minLength', 'maxLength']
    : shape.type === 'array' ? ['minItems', 'maxItems'] : ['minimum', 'maximum'];
  if (shape.min !== undefined) out[minKey] = shape.min;
  if (shape.max !== undefined) out[maxKey] = shape.max;
  if (shape.items) out.items = shapeSchema(shape.items);
  if (shape.properties) {
    const nested = Object.entries(shape.properties);
    out.properties = Object.fromEntries(nested.map(([key, s]) => [key, shapeSchema(s)]));
    out.required = nested.filter(([, s]) => s.required).map(([key]) => key);
    out.additionalProperties = false;
  }
  return out;
}
