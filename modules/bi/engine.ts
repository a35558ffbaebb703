// The module's one engine per process, found from the clients it was built with (the API's deps
// or an activity's), and closed when the process closes them (the manifest's dispose).
import type { MikroORM } from '../../platform/db.ts';
import { createBiEngine, type BiEngine, type EngineDeps } from './engine/engine.ts';

const engines = new WeakMap<MikroORM, BiEngine>();

export function biEngine(deps: EngineDeps): BiEngine {
  let engine = engines.get(deps.orm);
  if (!engine) {
    engine = createBiEngine(deps);
    engines.set(deps.orm, engine);
  }
  return engine;
}

export async function disposeBiEngine(deps: { orm: MikroORM }): Promise<void> {
  const engine = engines.get(deps.orm);
  engines.delete(deps.orm);
  await engine?.close();
}
