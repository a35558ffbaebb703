// Every module of the product, in the order their parts are composed. Adding a module is its
// folder under modules/ plus one line here (and one export line in app/workflows.ts when it runs
// workflows).
import type { ModuleManifest } from '../modules/manifest.ts';
import { composeModules } from './registry.ts';
import { workspaceModule } from '../modules/workspace/module.ts';
import { crmModule } from '../modules/crm/module.ts';
import { tasksModule } from '../modules/tasks/module.ts';
import { activityLogModule } from '../modules/activity-log/module.ts';
import { maintenanceModule } from '../modules/maintenance/module.ts';
import { analyticsGovernanceModule } from '../modules/analytics-governance/module.ts';
import { assetsModule } from '../modules/assets/module.ts';
import { supportModule } from '../modules/support/module.ts';
import { cmsModule } from '../modules/cms/module.ts';
import { integrationsModule } from '../modules/integrations/module.ts';
import { biModule } from '../modules/bi/module.ts';

export const MODULES: readonly ModuleManifest[] = [
  workspaceModule,
  crmModule,
  tasksModule,
  activityLogModule,
  maintenanceModule,
  analyticsGovernanceModule,
  assetsModule,
  supportModule,
  cmsModule,
  integrationsModule,
  biModule,
];

/** Everything the processes compose from the modules (checked for duplicates on import). */
export const registry = composeModules(MODULES);
