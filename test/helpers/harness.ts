// Boots the real app (real PostgreSQL, Temporal, S3 that bin/test started) on an ephemeral port
// for one test file, and makes workspaces and tokens for it. Each test works in workspaces of
// its own, so files run in parallel on one database. Shared readers (sql, tenant, inTx) live
// here, once, for every test file.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { loadConfig, type Config } from '../../platform/config.ts';
import { sql as rawSql, type EntityManager } from '../../platform/db.ts';
import { createLogger } from '../../platform/logger.ts';
import { systemTenant, type TenantContext } from '../../kernel/tenant.ts';
import { createToken, createWorkspace, type NewWorkspace } from '../../kernel/tenancy/workspaces.ts';
import { SCOPES } from '../../kernel/tenancy/scopes.ts';
import { createDeps, type Deps } from '../../app/deps.ts';
import { buildApp, type BuiltApp } from '../../app/api.ts';
import { apiClient, type ApiClient } from './client.ts';

/** A domain event as the outbox holds it. */
export interface EventRow { type: string; resource_type: string; resource_id: string; request_id: string | null; payload: any }

export interface Harness {
  url: string;
  deps: Deps;
  built: BuiltApp;
  config: Config;
  /** A new workspace (all modules unless given) and a client holding a token with these scopes. */
  workspace: (opts?: Partial<NewWorkspace> & { scopes?: string[] }) => Promise<{ id: string; client: ApiClient; token: string }>;
  /** Raw SQL outside any transaction (what a test reads or sets up). */
  sql: <T = any>(query: string, params?: unknown[]) => Promise<T[]>;
  /** A domain context for the workspace on this EntityManager, as an activity builds one. */
  tenant: (workspaceId: string, em: EntityManager, requestId?: string | null) => TenantContext;
  /** Runs domain code in one transaction, as an activity or a handler would. */
  inTx: <T>(workspaceId: string, work: (ctx: TenantContext) => Promise<T>, requestId?: string | null) => Promise<T>;
  /** The workspace's outbox events, oldest first, optionally of one type or resource. */
  events: (workspaceId: string, filter?: { type?: string; resourceId?: string }) => Promise<EventRow[]>;
  close: () => Promise<void>;
}

/** `logTo`: the app's log lines go there at `logLevel` (a test reading its own logs). */
export async function bootHarness(overrides: Record<string, string> = {}, opts: { logTo?: NodeJS.WritableStream; logLevel?: string } = {}): Promise<Harness> {
  const config = loadConfig({ ...process.env, PORT: '0', ...overrides }, { root: '/nonexistent' });
  const deps = await createDeps(config, createLogger(opts.logLevel ?? process.env.LOG_LEVEL ?? 'warn', 'slab5-test', opts.logTo));
  const built = buildApp(deps);
  const server: Server = await new Promise((resolve) => { const s = built.app.listen(0, '127.0.0.1', () => resolve(s)); });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let counter = 0;
  const tenant = (workspaceId: string, em: EntityManager, requestId: string | null = 'req_test') =>
    ({ ...systemTenant(em, workspaceId, deps.resources, requestId), cursorSecret: config.cursorSecret });
  return {
    url, deps, built, config, tenant,
    async workspace(opts = {}) {
      const em = deps.orm.em.fork();
      const ws = await createWorkspace(em, { name: opts.name ?? `Test workspace ${++counter}`, enabled_modules: opts.enabled_modules, rate_limit_per_second: opts.rate_limit_per_second ?? 100_000 });
      const token = await createToken(em, ws.id, opts.scopes ?? SCOPES, 'test');
      return { id: ws.id, token: token.token, client: apiClient(url, token.token, built.contract) };
    },
    sql: <T = any>(query: string, params: unknown[] = []) => rawSql<T[]>(deps.orm.em.fork(), query, params),
    inTx: (workspaceId, work, requestId) => deps.orm.em.fork().transactional((em) => work(tenant(workspaceId, em, requestId))),
    events: (workspaceId, filter = {}) => rawSql<EventRow[]>(deps.orm.em.fork(),
      `select type, resource_type, resource_id, request_id, payload from outbox_events where workspace_id = ?
       ${filter.type ? 'and type = ?' : ''} ${filter.resourceId ? 'and resource_id = ?' : ''} order by id`,
      [workspaceId, ...(filter.type ? [filter.type] : []), ...(filter.resourceId ? [filter.resourceId] : [])]),
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await deps.close();
    },
  };
}
