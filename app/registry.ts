// Composes the modules' manifests into what the processes need, and refuses at start anything
// two owners declare twice (an operationId, an activity, a workflow, an id prefix, a related-
// resource type, a migration, a poller), naming both.
import type { EntitySchema } from '@mikro-orm/postgresql';
import type { MigrationEntry } from '../platform/db.ts';
import { kernel } from '../kernel/kernel.ts';
import type { RelatedResourceTables } from '../kernel/related-resources.ts';
import { BI_HIDDEN_COLUMNS, type BiTable } from '../kernel/bi-tables.ts';
import type { MikroORM } from '../platform/db.ts';
import type { OperationHandlers } from '../api/operations.ts';
import type { ActivityDeps, Activities, EventTypeSpec, ModuleManifest, PollerSpec, RetrySpec, PageSpec, ScheduleSpec, Seeder } from '../modules/manifest.ts';

export interface Registry {
  entities: EntitySchema<any, any>[];
  /** Every migration, in name (timestamp) order. */
  migrations: MigrationEntry[];
  operations: OperationHandlers;
  idPrefixes: ReadonlyMap<string, string>;
  resources: RelatedResourceTables;
  workflows: string[];
  seeders: Seeder[];
  schedules: ScheduleSpec[];
  /** Operator retries by workflow type. */
  retries: ReadonlyMap<string, RetrySpec>;
  /** Background loops of the worker process. */
  pollers: PollerSpec[];
  /** Every event type the modules record, with the module as its category. */
  events: (EventTypeSpec & { category: string })[];
  /** The BI catalog: every module's BI-readable tables. */
  biTables: BiTable[];
  /** HTML pages beside the operations (a path claimed twice fails). */
  pages: PageSpec[];
  /** Every module's activities, built from the clients given. */
  activities: (deps: Omit<ActivityDeps, 'seeders' | 'resources' | 'biTables'>) => Activities;
  /** Runs every module's dispose hook (at shutdown). */
  dispose: (deps: { orm: MikroORM }) => Promise<void>;
}

export class DuplicateDeclaration extends Error {}

/** Records name → owner, throwing when a second owner declares a name. */
function claims(what: string) {
  const owners = new Map<string, string>();
  return (name: string, owner: string) => {
    const first = owners.get(name);
    if (first !== undefined) throw new DuplicateDeclaration(`${what} "${name}" is declared by both ${first} and ${owner}.`);
    owners.set(name, owner);
  };
}

export function composeModules(modules: readonly ModuleManifest[]): Registry {
  const claimOperation = claims('operation');
  const claimWorkflow = claims('workflow');
  const claimPrefix = claims('id prefix');
  const claimResource = claims('related-resource type');
  const claimMigration = claims('migration');
  const claimModule = claims('module');
  const claimEvent = claims('event type');
  const claimPoller = claims('poller');
  const claimBiTable = claims('BI table');

  const entities: EntitySchema<any, any>[] = [...kernel.entities];
  const migrations: MigrationEntry[] = [...kernel.migrations];
  for (const m of kernel.migrations) claimMigration(m.name, 'kernel');
  const operations: Record<string, unknown> = {};
  const idPrefixes = new Map<string, string>();
  for (const [kind, prefix] of Object.entries(kernel.ids)) { claimPrefix(prefix, `kernel (${kind})`); idPrefixes.set(prefix, 'kernel'); }
  const resources = new Map<string, string>();
  const workflows: string[] = [];
  const seeders: Seeder[] = [];
  const schedules: ScheduleSpec[] = [];
  const pollers: PollerSpec[] = [];
  const events: (EventTypeSpec & { category: string })[] = [];
  const retries = new Map<string, RetrySpec>();
  const claimRetry = claims('retry of workflow');
  const biTables: BiTable[] = [];
  const pages: PageSpec[] = [];
  const claimPage = claims('page');

  for (const m of modules) {
    claimModule(m.name, `module ${m.name}`);
    const owner = `module ${m.name}`;
    entities.push(...(m.entities ?? []));
    for (const migration of m.migrations ?? []) { claimMigration(migration.name, owner); migrations.push(migration); }
    for (const [operationId, handler] of Object.entries(m.operations ?? {})) { claimOperation(operationId, owner); operations[operationId] = handler; }
    for (const [kind, prefix] of Object.entries(m.ids ?? {})) { claimPrefix(prefix, `${owner} (${kind})`); idPrefixes.set(prefix, m.name); }
    for (const [type, table] of Object.entries(m.relatedResources ?? {})) { claimResource(type, owner); resources.set(type, table); }
    for (const workflow of m.workflows ?? []) { claimWorkflow(workflow, owner); workflows.push(workflow); }
    seeders.push(...(m.seeders ?? []));
    schedules.push(...(m.schedules ?? []));
    for (const poller of m.pollers ?? []) { claimPoller(poller.name, owner); pollers.push(poller); }
    for (const event of m.events ?? []) { claimEvent(event.type, owner); events.push({ ...event, category: m.name }); }
    for (const page of m.pages ?? []) { claimPage(page.path, owner); pages.push(page); }
    for (const retry of m.retries ?? []) { claimRetry(retry.workflowType, owner); retries.set(retry.workflowType, retry); }
    for (const spec of m.biTables ?? []) {
      claimBiTable(spec.table, owner);
      const hidden = spec.columns?.filter((c) => BI_HIDDEN_COLUMNS.includes(c)) ?? [];
      if (hidden.length) throw new Error(`${owner} lists ${hidden.join(', ')} among the BI columns of ${spec.table}; BI never exposes them.`);
      biTables.push({
        module: m.name, table: spec.table, description: spec.description, columns: spec.columns ?? null,
        events: spec.events ?? (m.events ?? []).map((e) => e.type),
      });
    }
  }
  migrations.sort((a, b) => a.name.localeCompare(b.name));

  return {
    entities, migrations, operations: operations as OperationHandlers, idPrefixes, resources, workflows, seeders, schedules, pollers, events, retries, biTables, pages,
    activities(deps) {
      const claimActivity = claims('activity');
      const all: Activities = {};
      const full: ActivityDeps = { ...deps, seeders, resources, biTables };
      for (const m of modules) {
        for (const [name, fn] of Object.entries(m.activities?.(full) ?? {})) { claimActivity(name, `module ${m.name}`); all[name] = fn; }
      }
      return all;
    },
    async dispose(deps) {
      for (const m of modules) await m.dispose?.(deps);
    },
  };
}
