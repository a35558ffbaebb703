import { defineModule } from '../manifest.ts';
import { workspaceOperations } from './operations.ts';
import { createProvisioningActivities } from './provisioning/activities.ts';

export const workspaceModule = defineModule({
  name: 'workspace',
  operations: workspaceOperations,
  workflows: ['provisionWorkspace'],
  activities: createProvisioningActivities,
});
