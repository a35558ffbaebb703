// Housekeeping of the platform's own records, on Temporal Schedules.
import { defineModule } from '../manifest.ts';
import { createMaintenanceActivities } from './activities.ts';

export const PURGE_IDEMPOTENCY_KEYS_SCHEDULE = 'maintenance-purge-idempotency-keys';

export const maintenanceModule = defineModule({
  name: 'maintenance',
  workflows: ['purgeExpiredIdempotencyKeys'],
  activities: createMaintenanceActivities,
  schedules: [{
    id: PURGE_IDEMPOTENCY_KEYS_SCHEDULE,
    workflowType: 'purgeExpiredIdempotencyKeys',
    every: '1 hour',
    note: 'Deletes Idempotency-Key records past their 24 hours.',
  }],
});
