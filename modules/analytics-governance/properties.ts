// Properties of the tracking plan: typed, constrained, unique by key. A redefinition makes a new
// version of the property and of every event that carries it (their compiled schemas change).
import { LockMode } from '@mikro-orm/postgresql';
import { newId } from '../../platform/ids.ts';
import { validationFailed } from '../../platform/errors.ts';
import type { BodyOf } from '../../api/operations.ts';
import type { TenantContext } from '../../kernel/tenant.ts';
import { insertCreated, recordEvent } from '../../kernel/outbox.ts';
import { lockNaturalKey } from '../../kernel/locks.ts';
import { ANALYTICS_IDS } from './ids.ts';
import { AnalyticsPropertySchema, type AnalyticsProperty } from './entities.ts';
import { normalizeConstraints, shapeProblems } from './shapes.ts';
import { assertDefinable, changedFields, findVersion, type Defined } from './redefinition.ts';
import { recompileEventsCarrying } from './events.ts';
import { serializeAnalyticsProperty } from './serializers.ts';

export type PropertyDefinition = BodyOf<'defineAnalyticsProperty'>;


export async function defineAnalyticsProperty(ctx: TenantContext, input: PropertyDefinition): Promise<Defined<AnalyticsProperty>> {
  const problems = shapeProblems(input);
  if (problems.length) throw validationFailed(problems);
  await lockNaturalKey(ctx.em, 'analytics-property', ctx.workspaceId, input.key);
  const target = { resource: 'analytics_property', table: 'analytics_properties', field: 'key', value: input.key } as const;
  assertDefinable(target, await findVersion(ctx, target), input.replaces_version);

  const definition = {
    type: input.type,
    description: input.description ?? null,
    required: input.required ?? false,
    constraints: normalizeConstraints(input),
  };
  // Exclusive: events being defined hold this row shared, so their compiled schemas and this
  // change never miss each other.
  const existing = await ctx.em.findOne(AnalyticsPropertySchema, { workspace_id: ctx.workspaceId, key: input.key }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!existing) {
    const now = new Date();
    const property = ctx.em.create(AnalyticsPropertySchema, {
      id: newId(ANALYTICS_IDS.analyticsProperty), workspace_id: ctx.workspaceId, key: input.key, ...definition, version: 1, created_at: now, updated_at: now,
    });
    return { record: await insertCreated(ctx, 'analytics_property', property, serializeAnalyticsProperty(property)), created: true };
  }
  // A cascade may not bump a property, but the version read before the lock must still hold.
  assertDefinable(target, existing, input.replaces_version);

  const changed = changedFields(serializeAnalyticsProperty(existing), serializeAnalyticsProperty({ ...existing, ...definition }));
  if (!changed.length) return { record: existing, created: false };
  ctx.em.assign(existing, { ...definition, version: existing.version + 1, updated_at: new Date() });
  recordEvent(ctx, {
    type: 'analytics_property.updated', resource_type: 'analytics_property', resource_id: existing.id,
    payload: { ...serializeAnalyticsProperty(existing), changed_fields: changed },
  });
  await ctx.em.flush();
  await recompileEventsCarrying(ctx, existing.key);
  return { record: existing, created: false };
}
