// The module's one engine per process, found from the clients it was built with (the API's deps
// or an activity's), and closed when the process closes them (the manifest's dispose).
// The engine's code (and DuckDB's native library under it, ~20 MB of RSS) loads with the first
// call that needs it: an API process that answers no BI query never loads DuckDB.
import type { MikroORM } from '../../platform/db.ts';
import type { BiEngine, EngineDeps } from './engine/engine.ts';

const engines = new WeakMap<MikroORM, BiEngine>();

export function biEngine(deps: EngineDeps): BiEngine {
  let engine = engines.get(deps.orm);
  if (!engine) {
    engine = loadingEngine(deps);
    engines.set(deps.orm, engine);
  }
  return engine;
}

export async function disposeBiEngine(deps: { orm: MikroORM }): Promise<void> {
  const engine = engines.get(deps.orm);
  engines.delete(deps.orm);
  await engine?.close();
}

/** A BiEngine whose implementation is imported on the first call; close() before that loads nothing. */
function loadingEngine(deps: EngineDeps): BiEngine {
  let loaded: Promise<BiEngine> | null = null;
  const engine = () => (loaded ??= import('./engine/engine.ts').then((m) => m.createBiEngine(deps)));
  return {
    catalog: async () => (await engine()).catalog(),
    plan: async (sql, field) => (await engine()).plan(sql, field),
    run: async (workspaceId, needs, sql, params, opts) => (await engine()).run(workspaceId, needs, sql, params, opts),
    withOutputSandbox: async (workspaceId, source, output, timeoutMs, work) => (await engine()).withOutputSandbox(workspaceId, source, output, timeoutMs, work),
    runMock: async (columns, rows, sql, params, opts) => (await engine()).runMock(columns, rows, sql, params, opts),
    stats: async () => (await engine()).stats(),
    close: async () => { if (loaded) await (await loaded).close(); },
  };
}
