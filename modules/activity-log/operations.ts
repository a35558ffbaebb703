import { list, write, type OperationHandlers } from '../../api/operations.ts';
import { createActivity, listActivities } from './activity-log.ts';
import { serializeActivity } from './serializers.ts';

export const activityLogOperations = {
  listActivities: list(({ tenant, query }) => listActivities(tenant, query), serializeActivity),
  createActivity: write(201, ({ tenant, body }) => createActivity(tenant, body), serializeActivity),
} satisfies OperationHandlers;
