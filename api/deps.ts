// The clients the API is built with. Injected, never global, so tests build the app on the
// same real services with their own settings.
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Client as TemporalClient } from '@temporalio/client';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Config } from '../platform/config.ts';
import type { Logger } from '../platform/logger.ts';

export interface AppDeps {
  config: Config;
  logger: Logger;
  orm: MikroORM;
  temporal: TemporalClient;
  s3: S3Client;
}
