// The kernel's own entities, migrations and id prefixes: what every module builds on.
import type { MigrationEntry } from '../platform/db.ts';
import { KERNEL_IDS } from './ids.ts';
import { OutboxEventSchema } from './outbox-entity.ts';
import { ApiTokenSchema, WorkspaceSchema } from './tenancy/entities.ts';
import { WorkflowCommandSchema } from './workflow-commands/entity.ts';
import { Migration20261128000001_foundation } from './migrations/Migration20261128000001_foundation.ts';
import { Migration20261201000001_workflow_commands } from './migrations/Migration20261201000001_workflow_commands.ts';
import { Migration20261201000004_unlogged_rate_limits } from './migrations/Migration20261201000004_unlogged_rate_limits.ts';
import { Migration20261202020001_workflow_command_signal } from './migrations/Migration20261202020001_workflow_command_signal.ts';

export const kernel = {
  name: 'kernel',
  entities: [WorkspaceSchema, ApiTokenSchema, OutboxEventSchema, WorkflowCommandSchema],
  migrations: [
    { name: 'Migration20261128000001_foundation', class: Migration20261128000001_foundation },
    { name: 'Migration20261201000001_workflow_commands', class: Migration20261201000001_workflow_commands },
    { name: 'Migration20261201000004_unlogged_rate_limits', class: Migration20261201000004_unlogged_rate_limits },
    { name: 'Migration20261202020001_workflow_command_signal', class: Migration20261202020001_workflow_command_signal },
  ] satisfies MigrationEntry[],
  ids: KERNEL_IDS,
};
