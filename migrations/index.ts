// Migrations in order. Listed explicitly so they load the same way under tsx, the worker bundle
// and a compiled build.
import { Migration20261128000001_foundation } from './Migration20261128000001_foundation.ts';

export const migrationsList = [
  { name: 'Migration20261128000001_foundation', class: Migration20261128000001_foundation },
];
