// The clients the API is built with. Injected, never global, so tests build the app on the
// same real services with their own settings.
import type { S3Client } from '@aws-sdk/client-s3';
import type { Client as TemporalClient } from '@temporalio/client';
import type { Config } from '../platform/config.ts';
import type { MikroORM } from '../platform/db.ts';
import type { Logger } from '../platform/logger.ts';
import type { RelatedResourceTables } from '../kernel/related-resources.ts';
import type { BiTables } from '../kernel/bi-tables.ts';
import type { WorkflowRunner } from '../kernel/workflow-commands/runner.ts';

/** A domain event type some module records: the webhook catalog's built-in entries. */
export interface CatalogEventType {
  type: string;
  /** The module that records it. */
  category: string;
  description: string;
  /** A contract schema's name (the event's data is that resource), or an inline JSON Schema. */
  schema: string | Record<string, unknown>;
}

export interface AppDeps {
  config: Config;
  logger: Logger;
  orm: MikroORM;
  temporal: TemporalClient;
  s3: S3Client;
  /** Related-resource types of every module. */
  resources: RelatedResourceTables;
  /** The tables BI may read, from every module's manifest. */
  biTables: BiTables;
  /** Starts committed workflow commands and waits for runs. */
  workflows: WorkflowRunner;
  /** Every event type the modules declare (composed from their manifests). */
  eventTypes: readonly CatalogEventType[];
}
