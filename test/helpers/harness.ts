// Boots the real app (real PostgreSQL, Temporal, S3 that bin/test started) on an ephemeral port
// for one test file, and makes workspaces and tokens for it. Each test works in workspaces of
// its own, so files run in parallel on one database.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { loadConfig, type Config } from '../../platform/config.ts';
import { createDeps } from '../../platform/deps.ts';
import { createLogger } from '../../platform/logger.ts';
import { buildApp, type BuiltApp } from '../../api/app.ts';
import type { AppDeps } from '../../api/deps.ts';
import { createToken, createWorkspace, type NewWorkspace } from '../../domain/workspace/service.ts';
import { SCOPES } from '../../domain/workspace/modules.ts';
import { apiClient, type ApiClient } from './client.ts';

export interface Harness {
  url: string;
  deps: AppDeps;
  built: BuiltApp;
  config: Config;
  /** A new workspace (all modules unless given) and a client holding a token with these scopes. */
  workspace: (opts?: Partial<NewWorkspace> & { scopes?: string[] }) => Promise<{ id: string; client: ApiClient; token: string }>;
  close: () => Promise<void>;
}

export async function bootHarness(overrides: Record<string, string> = {}): Promise<Harness> {
  const config = loadConfig({ ...process.env, PORT: '0', ...overrides }, { root: '/nonexistent' });
  const deps = await createDeps(config, createLogger(process.env.LOG_LEVEL ?? 'warn', 'slab5-test'));
  const built = buildApp(deps);
  const server: Server = await new Promise((resolve) => { const s = built.app.listen(0, '127.0.0.1', () => resolve(s)); });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let counter = 0;
  return {
    url, deps, built, config,
    async workspace(opts = {}) {
      const em = deps.orm.em.fork();
      const ws = await createWorkspace(em, { name: opts.name ?? `Test workspace ${++counter}`, enabled_modules: opts.enabled_modules, rate_limit_per_second: opts.rate_limit_per_second ?? 100_000 });
      const token = await createToken(em, ws.id, opts.scopes ?? SCOPES, 'test');
      return { id: ws.id, token: token.token, client: apiClient(url, token.token, built.contract) };
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await deps.close();
    },
  };
}
