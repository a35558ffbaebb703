import { defineModule } from '../manifest.ts';
import { ActivitySchema } from './entities.ts';
import { ACTIVITY_LOG_IDS } from './ids.ts';
import { activityLogOperations } from './operations.ts';
import { Migration20261201000003_mcp_actor } from './migrations/Migration20261201000003_mcp_actor.ts';

export const activityLogModule = defineModule({
  name: 'activity-log',
  // Its table is created by the tasks module's first migration (they predate modules).
  entities: [ActivitySchema],
  migrations: [{ name: 'Migration20261201000003_mcp_actor', class: Migration20261201000003_mcp_actor }],
  operations: activityLogOperations,
  ids: ACTIVITY_LOG_IDS,
  biTables: [{
    table: 'activities', description: 'The activity log: notes, calls, e-mails, meetings and system actions, by resource.',
    columns: ['id', 'type', 'summary', 'body', 'occurred_at', 'related_resource_type', 'related_resource_id', 'actor_type', 'actor_id', 'created_at'],
  }],
  events: [
    { type: 'activity.created', schema: 'Activity', description: 'An activity was logged (by a client or by the system).' },
  ],
});
