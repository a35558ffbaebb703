import { defineEntity, type InferEntity } from '@mikro-orm/postgresql';
import { PROPERTY_TYPES, type Constraints } from './shapes.ts';

export const EVENT_STATUSES = ['active', 'deprecated'] as const;
export type EventStatus = typeof EVENT_STATUSES[number];

export const AnalyticsPropertySchema = defineEntity({
  name: 'AnalyticsProperty',
  tableName: 'analytics_properties',
  properties: (p) => ({
    id: p.text().primary(),
    workspace_id: p.text(),
    key: p.text(),
    type: p.enum([...PROPERTY_TYPES]),
    description: p.text().nullable(),
    /** The default for the events that carry it; an event may override it. */
    required: p.boolean(),
    /** enum, pattern, min, max, items, properties: only those given (`json`: key order kept). */
    constraints: p.json<Constraints>().columnType('json'),
    version: p.integer(),
    created_at: p.datetime().onCreate(() => new Date()),
    updated_at: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  }),
});
export type AnalyticsProperty = InferEntity<typeof AnalyticsPropertySchema>;

export const AnalyticsEventSchema = defineEntity({
  name: 'AnalyticsEvent',
  tableName: 'analytics_events',
  properties: (p) => ({
    id: p.text().primary(),
    workspace_id: p.text(),
    name: p.text(),
    description: p.text().nullable(),
    owner: p.text().nullable(),
    status: p.enum([...EVENT_STATUSES]),
    /** Increases by one whenever the definition or its compiled schema changes. */
    version: p.integer(),
    /** The carried property keys, in the order defined. */
    property_keys: p.json<string[]>(),
    required_overrides: p.json<Record<string, boolean>>(),
    /** This version's plan as a JSON Schema 2020-12 (`json`: key order kept for readers). */
    json_schema: p.json<Record<string, unknown>>().columnType('json'),
    /** Lower-cased name and description that `query` matches (a generated column with a trigram index). */
    search_text: p.text().generated('stored').nullable().lazy(true, false),
    created_at: p.datetime().onCreate(() => new Date()),
    updated_at: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  }),
});
export type AnalyticsEvent = InferEntity<typeof AnalyticsEventSchema>;
