// Analytics governance: the tracking plan (typed properties, events that carry them, versioned and
// compiled to JSON Schema) and validation of event payloads against it, with typed violations.
import { defineModule } from '../manifest.ts';
import { ANALYTICS_IDS } from './ids.ts';
import { AnalyticsEventSchema, AnalyticsPropertySchema } from './entities.ts';
import { analyticsOperations } from './operations.ts';
import { Migration20261202050001_analytics_governance } from './migrations/Migration20261202050001_analytics_governance.ts';

export const analyticsGovernanceModule = defineModule({
  name: 'analytics_governance',
  entities: [AnalyticsPropertySchema, AnalyticsEventSchema],
  migrations: [{ name: 'Migration20261202050001_analytics_governance', class: Migration20261202050001_analytics_governance }],
  // What BI may read (its catalog): the tracking plan.
  biTables: [
    { table: 'analytics_events', description: 'Tracking-plan events with owner, status, version and the property keys they carry.', columns: ['id', 'name', 'description', 'owner', 'status', 'version', 'property_keys', 'created_at', 'updated_at'] },
    { table: 'analytics_properties', description: 'Tracking-plan properties with their type.', columns: ['id', 'key', 'type', 'description', 'required', 'version', 'created_at', 'updated_at'] },
  ],
  operations: analyticsOperations,
  ids: ANALYTICS_IDS,
  events: [
    { type: 'analytics_property.created', schema: 'AnalyticsProperty', description: 'An analytics property was defined.' },
    { type: 'analytics_property.updated', schema: 'AnalyticsProperty', description: 'An analytics property was redefined (a new version); the payload adds changed_fields.' },
    { type: 'analytics_event.created', schema: 'AnalyticsEvent', description: 'An analytics event was defined (version 1).' },
    { type: 'analytics_event.updated', schema: 'AnalyticsEvent', description: 'An analytics event has a new version (redefined, or a property it carries changed); the payload adds changed_fields.' },
    { type: 'analytics_event.deprecated', schema: 'AnalyticsEvent', description: 'An analytics event was deprecated (validating it now warns).' },
  ],
});
