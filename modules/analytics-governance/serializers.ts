// The contract's AnalyticsProperty and AnalyticsEvent, from their rows.
import type { Schema } from '../../api/operations.ts';
import { nulled } from '../../kernel/serialize.ts';
import type { AnalyticsEvent, AnalyticsProperty } from './entities.ts';
import type { Shape } from './shapes.ts';

type ShapeOut = Schema<'AnalyticsPropertyShape'>;

/** A nested shape with every field present (null when not set), as the contract answers. */
const serializeShape = (s: Shape): ShapeOut => ({
  type: s.type,
  description: s.description ?? null,
  required: s.required ?? false,
  ...constraintsOf(s),
});

const constraintsOf = (s: Omit<Shape, 'type'>) => ({
  enum: s.enum ?? null,
  pattern: s.pattern ?? null,
  min: s.min ?? null,
  max: s.max ?? null,
  items: s.items ? serializeShape(s.items) : null,
  properties: s.properties ? Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, serializeShape(v)])) : null,
});

export const serializeAnalyticsProperty = (p: AnalyticsProperty): Schema<'AnalyticsProperty'> => nulled({
  id: p.id,
  key: p.key,
  type: p.type,
  description: p.description,
  required: p.required,
  version: p.version,
  ...constraintsOf(p.constraints),
  created_at: p.created_at.toISOString(),
  updated_at: p.updated_at.toISOString(),
});

export const serializeAnalyticsEvent = (e: AnalyticsEvent): Schema<'AnalyticsEvent'> => nulled({
  id: e.id,
  name: e.name,
  description: e.description,
  owner: e.owner,
  status: e.status,
  version: e.version,
  properties: e.property_keys,
  required_overrides: e.required_overrides,
  required_properties: (e.json_schema.required as string[] | undefined) ?? [],
  json_schema: e.json_schema,
  created_at: e.created_at.toISOString(),
  updated_at: e.updated_at.toISOString(),
});
