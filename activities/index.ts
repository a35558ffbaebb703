// All activities, built from the clients they need (injected, never global).
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from '../platform/logger.ts';
import { createProvisioningActivities } from './provisioning.ts';
import { createConversionActivities } from './conversion.ts';
import { createMaintenanceActivities } from './maintenance.ts';

export interface ActivityDeps { orm: MikroORM; logger: Logger }

export function createActivities(deps: ActivityDeps) {
  return {
    ...createProvisioningActivities(deps),
    ...createConversionActivities(deps),
    ...createMaintenanceActivities(deps),
  };
}
