// Every entity schema the ORM knows. Each module adds its own here.
import { WorkspaceSchema, ApiTokenSchema } from './workspace/entities.ts';
import { CompanySchema, ContactSchema } from './crm/entities.ts';
import { OutboxEventSchema } from './events/entities.ts';
import { leadEntities } from './leads/entities.ts';
import { dealEntities } from './deals/entities.ts';
import { accountingEntities } from './accounting/entities.ts';
import { taskEntities } from './tasks/entities.ts';
import { activityEntities } from './activities/entities.ts';

export const entities = [
  WorkspaceSchema, ApiTokenSchema, CompanySchema, ContactSchema, OutboxEventSchema,
  ...leadEntities, ...dealEntities, ...accountingEntities, ...taskEntities, ...activityEntities,
];
