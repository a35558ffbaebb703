// Builds the real clients from a config: what bin/api, the CLI and the tests share.
import type { AppDeps } from '../api/deps.ts';
import type { Config } from './config.ts';
import { initOrm } from './db.ts';
import { createLogger, type Logger } from './logger.ts';
import { createS3Client } from './s3.ts';
import { createTemporalClient } from './temporal.ts';

export async function createDeps(config: Config, logger: Logger = createLogger(config.logLevel)): Promise<AppDeps & { close: () => Promise<void> }> {
  const orm = await initOrm(config.databaseUrl, logger);
  const temporal = await createTemporalClient(config);
  const s3 = createS3Client(config);
  return {
    config, logger, orm, temporal, s3,
    close: async () => {
      s3.destroy();
      await temporal.connection.close();
      await orm.close(true);
    },
  };
}
