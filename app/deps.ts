// Builds the real clients from a config: what bin/api, the CLI and the tests share.
import type { AppDeps } from '../api/deps.ts';
import type { Config } from '../platform/config.ts';
import { createLogger, type Logger } from '../platform/logger.ts';
import { createS3Client } from '../platform/s3.ts';
import { createTemporalClient } from '../platform/temporal.ts';
import { registry } from './modules.ts';
import { openOrm } from './orm.ts';
import { createWorkflowRunner, type CommandDispatcher } from './workflow-runner.ts';

export type Deps = AppDeps & { workflows: CommandDispatcher; close: () => Promise<void> };

export async function createDeps(config: Config, logger: Logger = createLogger(config.logLevel)): Promise<Deps> {
  const orm = await openOrm(config.databaseUrl, logger);
  const temporal = await createTemporalClient(config);
  const s3 = createS3Client(config);
  const workflows = createWorkflowRunner({ orm, temporal, taskQueue: config.temporalTaskQueue, logger });
  return {
    config, logger, orm, temporal, s3, workflows, resources: registry.resources, eventTypes: registry.events, biTables: registry.biTables,
    close: async () => {
      await registry.dispose({ orm });
      s3.destroy();
      await temporal.connection.close();
      await orm.close(true);
    },
  };
}
