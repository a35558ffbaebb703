// What a module declares about itself, in one file (modules/<name>/module.ts). The app composes
// every module's parts from the list in app/modules.ts: the ORM's entities, the migrations, the
// mounted operations, the worker's workflows, activities and pollers, id prefixes, related-resource
// types, seeders and schedules. Adding a module is its folder plus one line in that list.
import type { S3Client } from '@aws-sdk/client-s3';
import type { EntitySchema } from '@mikro-orm/postgresql';
import type { Config } from '../platform/config.ts';
import type { MigrationEntry, MikroORM } from '../platform/db.ts';
import type { Logger } from '../platform/logger.ts';
import type { RelatedResourceTables } from '../kernel/related-resources.ts';
import type { BiTableSpec, BiTables } from '../kernel/bi-tables.ts';
import type { TenantContext } from '../kernel/tenant.ts';
import type { Module } from '../kernel/tenancy/scopes.ts';
import type { WorkflowRunner } from '../kernel/workflow-commands/runner.ts';
import type { OperationHandlers, SchemaName } from '../api/operations.ts';
import type { AppDeps } from '../api/deps.ts';

/** What activity factories are built with (clients injected, never global). */
export interface ActivityDeps {
  config: Config;
  logger: Logger;
  orm: MikroORM;
  s3: S3Client;
  resources: RelatedResourceTables;
  /** Every module's seeders, for workspace provisioning. */
  seeders: readonly Seeder[];
  /** Every module's BI-readable tables. */
  biTables: BiTables;
}

export type Activities = Record<string, (...args: any[]) => Promise<unknown>>;

/** Seeds a new workspace's defaults; idempotent (natural keys, upserts) because activities retry. */
export interface Seeder {
  name: string;
  /** The workspace module that must be enabled for it to run (null: always). */
  module: Module | null;
  seed: (ctx: TenantContext) => Promise<void>;
}

/** A domain event a module records (in the outbox, with its change): the webhook catalog's entries. */
export interface EventTypeSpec {
  /** Dotted key, `<resource>.<verb in the past>`: `contact.created`. */
  type: string;
  description: string;
  /** The event data's JSON Schema: a contract schema by name (the payload is that resource), or inline. */
  schema: SchemaName | { type: 'object'; properties: Record<string, unknown>; required?: string[] };
}

/**
 * How an operator retries a failed run of one of the module's workflows through the product's own
 * path (`slab5 workflow retry <workflow id>`), never by editing rows.
 */
export interface RetrySpec {
  workflowType: string;
  /** What a retry does, for the operator. */
  description: string;
  /**
   * The run's status does not say whether the work failed: the workflow completes (or keeps
   * running) whatever became of its resource, which records the failure (an export, a delivery).
   * Every run then goes to `retry`, which refuses, naming why, a resource that did not fail.
   * Otherwise only a failed, terminated, canceled or timed-out run is retried.
   */
  resourceDecides?: boolean;
  /** Starts the work again (as the module's own path does, in one transaction); answers the workflow id and new run. */
  retry: (ctx: TenantContext, workflows: WorkflowRunner, run: RetryRun) => Promise<{ workflowId: string; runId: string | null }>;
}

/** The run an operator retries, as Temporal describes it. */
export interface RetryRun {
  workflowId: string;
  runId: string;
  /** The workflow's ResourceId search attribute. */
  resourceId: string;
  /** running, completed, failed, terminated, canceled, timed_out, ... */
  status: string;
}

/** A run that ended without settling its resource: it failed, or an operator stopped it (terminated, canceled, timed out). */
export const runEndedUnsettled = (run: RetryRun): boolean => ['failed', 'terminated', 'canceled', 'timed_out'].includes(run.status);

/** A Temporal Schedule the worker keeps (created at start when missing, never overwritten). */
export interface ScheduleSpec {
  id: string;
  workflowType: string;
  every: string;
  note: string;
}

/** What a poller is given in the worker process. */
export interface PollerDeps {
  config: Config;
  logger: Logger;
  orm: MikroORM;
  /** Starts the workflow commands a pass committed (the relay starts what this misses). */
  workflows: WorkflowRunner;
}

/**
 * Background work the worker process repeats (an outbox relay, ...): poll() runs every
 * intervalMs, and again right away while it answers a count above zero (work done). Every
 * worker process runs it, so a pass must be safe beside another's (row locks, skip locked).
 */
export interface PollerSpec {
  name: string;
  intervalMs: number;
  poll: (deps: PollerDeps) => Promise<number>;
}

/**
 * An HTML page outside the contract (a page people open from a signed link, not an API call):
 * GET `path` (Koa router syntax), answered by `render` with a status and a whole document.
 */
export interface PageSpec {
  path: string;
  render: (deps: AppDeps, req: { params: Record<string, string>; query: Record<string, string | string[] | undefined> }) => Promise<{ status: number; html: string }>;
}

export interface ModuleManifest {
  /** Folder and owner name, used in error messages. */
  name: string;
  entities?: EntitySchema<any, any>[];
  migrations?: MigrationEntry[];
  operations?: OperationHandlers;
  /** Id prefixes by record kind (`contact: 'con'`); unique across modules. */
  ids?: Record<string, string>;
  /** Types a task or an activity may point at (`contact: 'contacts'`, type → table). */
  relatedResources?: Record<string, string>;
  /** Workflow types this module runs; app/workflows.ts exports each for the worker's bundle. */
  workflows?: string[];
  activities?: (deps: ActivityDeps) => Activities;
  seeders?: Seeder[];
  schedules?: ScheduleSpec[];
  /** Loops the worker process runs beside its Temporal worker (app/pollers.ts). */
  pollers?: PollerSpec[];
  /** Every event type the module records (a module's new event appears in the catalog from here). */
  events?: EventTypeSpec[];
  /** Workflows whose failed runs an operator may retry, and how. */
  retries?: RetrySpec[];
  /** Tables BI may read (its catalog): `{ table, description, columns?, events? }` (kernel/bi-tables.ts). */
  biTables?: BiTableSpec[];
  /** HTML pages the API serves beside the contract's operations. */
  pages?: PageSpec[];
  /** Releases what the module holds for a process's clients (engines, temporary files), at shutdown. */
  dispose?: (deps: { orm: MikroORM }) => Promise<void>;
}

export const defineModule = <const M extends ModuleManifest>(manifest: M): M => manifest;
