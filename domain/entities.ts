// Every entity schema the ORM knows. Each module adds its own here.
import { WorkspaceSchema, ApiTokenSchema } from './workspace/entities.ts';
import { CompanySchema, ContactSchema } from './crm/entities.ts';
import { OutboxEventSchema } from './events/entities.ts';

export const entities = [WorkspaceSchema, ApiTokenSchema, CompanySchema, ContactSchema, OutboxEventSchema];
