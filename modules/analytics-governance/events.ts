// Events of the tracking plan: the properties they carry (each defined), per-event required
// overrides, a status, and a version that increases on every change, including a change of a
// property they carry. Each version's plan is compiled to its JSON Schema when it is written.
import { LockMode, type FilterQuery } from '@mikro-orm/postgresql';
import { newId } from '../../platform/ids.ts';
import { validationFailed } from '../../platform/errors.ts';
import { sql } from '../../platform/db.ts';
import type { BodyOf } from '../../api/operations.ts';
import type { TenantContext } from '../../kernel/tenant.ts';
import { insertCreated, recordEvent } from '../../kernel/outbox.ts';
import { lockNaturalKey } from '../../kernel/locks.ts';
import { containsPattern, findPage, type Page, type PageRequest } from '../../kernel/pagination.ts';
import { ANALYTICS_IDS } from './ids.ts';
import { AnalyticsEventSchema, AnalyticsPropertySchema, type AnalyticsEvent, type AnalyticsProperty, type EventStatus } from './entities.ts';
import { compileEventSchema } from './json-schema.ts';
import { assertDefinable, changedFields, findVersion, type Defined } from './redefinition.ts';
import { serializeAnalyticsEvent } from './serializers.ts';

export type EventDefinition = BodyOf<'defineAnalyticsEvent'>;

type Plan = Pick<AnalyticsEvent, 'name' | 'description' | 'status' | 'property_keys' | 'required_overrides'>;

export async function defineAnalyticsEvent(ctx: TenantContext, input: EventDefinition): Promise<Defined<AnalyticsEvent>> {
  const keys = input.properties ?? [];
  const overrides = input.required_overrides ?? {};
  const strays = Object.keys(overrides).filter((k) => !keys.includes(k));
  if (strays.length) throw validationFailed(strays.map((k) => ({ field: `required_overrides.${k}`, problem: 'is not one of the event\'s properties' })));

  await lockNaturalKey(ctx.em, 'analytics-event', ctx.workspaceId, input.name);
  const target = { resource: 'analytics_event', table: 'analytics_events', field: 'name', value: input.name } as const;
  assertDefinable(target, await findVersion(ctx, target), input.replaces_version);

  // Properties before the event, the order a property's redefinition locks them in too; shared,
  // so none of them changes before this version (compiled from them) commits.
  const properties = await loadProperties(ctx, keys, LockMode.PESSIMISTIC_READ);
  const undefinedKeys = keys.flatMap((key, i) => (properties.has(key) ? [] : [{ field: `properties.${i}`, problem: `is not a defined analytics property ("${key}")` }]));
  if (undefinedKeys.length) throw validationFailed(undefinedKeys);

  const plan: Plan = { name: input.name, description: input.description ?? null, status: input.status ?? 'active', property_keys: keys, required_overrides: overrides };
  const definition = { ...plan, owner: input.owner ?? null, json_schema: compileEventSchema(planOf(plan, properties)) };
  const existing = await ctx.em.findOne(AnalyticsEventSchema, { workspace_id: ctx.workspaceId, name: input.name }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!existing) {
    const now = new Date();
    const event = ctx.em.create(AnalyticsEventSchema, {
      id: newId(ANALYTICS_IDS.analyticsEvent), workspace_id: ctx.workspaceId, ...definition, version: 1, created_at: now, updated_at: now,
    });
    return { record: await insertCreated(ctx, 'analytics_event', event, serializeAnalyticsEvent(event)), created: true };
  }
  // A property's redefinition may have made a new version since the unlocked read.
  assertDefinable(target, existing, input.replaces_version);
  const wasActive = existing.status === 'active';
  const changed = applyChange(ctx, existing, definition);
  if (changed && wasActive && existing.status === 'deprecated') {
    recordEvent(ctx, { type: 'analytics_event.deprecated', resource_type: 'analytics_event', resource_id: existing.id, payload: serializeAnalyticsEvent(existing) });
  }
  await ctx.em.flush();
  return { record: existing, created: false };
}

/**
 * After a property changed: every event carrying it recompiles, and those whose schema changed
 * get a new version. Locked in id order, so concurrent redefinitions cannot deadlock each other.
 */
export async function recompileEventsCarrying(ctx: TenantContext, key: string): Promise<void> {
  const ids = await sql<{ id: string }[]>(ctx.em,
    'select id from analytics_events where workspace_id = ? and property_keys @> ?::jsonb', [ctx.workspaceId, JSON.stringify([key])]);
  if (!ids.length) return;
  const events = await ctx.em.find(AnalyticsEventSchema, { workspace_id: ctx.workspaceId, id: { $in: ids.map((r) => r.id) } },
    { orderBy: { id: 'asc' }, lockMode: LockMode.PESSIMISTIC_WRITE });
  const properties = await loadProperties(ctx, [...new Set(events.flatMap((e) => e.property_keys))]);
  for (const event of events) applyChange(ctx, event, { json_schema: compileEventSchema(planOf(event, properties)) });
  await ctx.em.flush();
}

/** Applies the fields; when anything changed, the next version and its `analytics_event.updated`. */
function applyChange(ctx: TenantContext, event: AnalyticsEvent, fields: Partial<AnalyticsEvent>): boolean {
  const changed = changedFields(serializeAnalyticsEvent(event), serializeAnalyticsEvent({ ...event, ...fields }));
  if (!changed.length) return false;
  ctx.em.assign(event, { ...fields, version: event.version + 1, updated_at: new Date() });
  recordEvent(ctx, {
    type: 'analytics_event.updated', resource_type: 'analytics_event', resource_id: event.id,
    payload: { ...serializeAnalyticsEvent(event), changed_fields: changed },
  });
  return true;
}

async function loadProperties(ctx: TenantContext, keys: string[], lockMode?: LockMode.PESSIMISTIC_READ): Promise<Map<string, AnalyticsProperty>> {
  if (!keys.length) return new Map();
  const rows = await ctx.em.find(AnalyticsPropertySchema, { workspace_id: ctx.workspaceId, key: { $in: keys } },
    { orderBy: { key: 'asc' }, ...(lockMode ? { lockMode } : {}) });
  return new Map(rows.map((p) => [p.key, p]));
}

/** The plan to compile: each carried property's shape, required by the event's override or its default. */
function planOf(plan: Plan, properties: Map<string, AnalyticsProperty>) {
  return {
    name: plan.name,
    description: plan.description ?? null,
    status: plan.status,
    properties: plan.property_keys.map((key) => {
      const p = properties.get(key)!;
      return {
        key,
        shape: { type: p.type, ...(p.description ? { description: p.description } : {}), ...p.constraints },
        required: Object.hasOwn(plan.required_overrides, key) ? plan.required_overrides[key]! : p.required,
      };
    }),
  };
}

export interface EventFilters extends PageRequest { query?: string; owner?: string; status?: EventStatus }

/** The tracking plan by name. */
export function listAnalyticsEvents(ctx: TenantContext, filters: EventFilters): Promise<Page<AnalyticsEvent>> {
  const where: FilterQuery<AnalyticsEvent> = {};
  if (filters.query) where.search_text = { $like: containsPattern(filters.query) };
  if (filters.owner) where.owner = filters.owner;
  if (filters.status) where.status = filters.status;
  return findPage(ctx, AnalyticsEventSchema, 'analytics_events', where, filters, { field: 'name', direction: 'asc' });
}
