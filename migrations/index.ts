// Migrations in order. Listed explicitly so they load the same way under tsx, the worker bundle
// and a compiled build.
import { Migration20261128000001_foundation } from './Migration20261128000001_foundation.ts';
import { Migration20261128000002_leads } from './Migration20261128000002_leads.ts';
import { Migration20261128000003_deals } from './Migration20261128000003_deals.ts';
import { Migration20261128000004_accounting } from './Migration20261128000004_accounting.ts';
import { Migration20261128000005_tasks_activities } from './Migration20261128000005_tasks_activities.ts';

export const migrationsList = [
  { name: 'Migration20261128000001_foundation', class: Migration20261128000001_foundation },
  { name: 'Migration20261128000002_leads', class: Migration20261128000002_leads },
  { name: 'Migration20261128000003_deals', class: Migration20261128000003_deals },
  { name: 'Migration20261128000004_accounting', class: Migration20261128000004_accounting },
  { name: 'Migration20261128000005_tasks_activities', class: Migration20261128000005_tasks_activities },
];
