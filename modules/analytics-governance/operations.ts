import { list, read, write, type OperationHandlers } from '../../api/operations.ts';
import { defineAnalyticsEvent, listAnalyticsEvents } from './events.ts';
import { defineAnalyticsProperty } from './properties.ts';
import type { Defined } from './redefinition.ts';
import { validateAnalyticsEvent } from './validation.ts';
import { serializeAnalyticsEvent, serializeAnalyticsProperty } from './serializers.ts';

/** 201 for a new definition, 200 for a redefinition (changed or not). */
const createdOrRedefined = <T>(r: Defined<T>) => (r.created ? 201 as const : 200 as const);

export const analyticsOperations = {
  listAnalyticsEvents: list(({ tenant, query }) => listAnalyticsEvents(tenant, query), serializeAnalyticsEvent),
  defineAnalyticsEvent: write(createdOrRedefined, ({ tenant, body }) => defineAnalyticsEvent(tenant, body), (r) => serializeAnalyticsEvent(r.record)),
  defineAnalyticsProperty: write(createdOrRedefined, ({ tenant, body }) => defineAnalyticsProperty(tenant, body), (r) => serializeAnalyticsProperty(r.record)),
  validateAnalyticsEvent: read(({ tenant, body }) => validateAnalyticsEvent(tenant, body.name, body.properties ?? {})),
} satisfies OperationHandlers;
