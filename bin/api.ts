// The API process: Koa on the configured host and port.
import { loadConfig } from '../platform/config.ts';
import { createDeps } from '../app/deps.ts';
import { buildApp } from '../app/api.ts';
import { runUntilSignal } from './lib/signals.ts';

const config = loadConfig();
const deps = await createDeps(config);
const { app } = buildApp(deps);
const server = app.listen(config.port, config.host, () => deps.logger.info({ url: config.publicUrl }, 'api listening'));
runUntilSignal(deps.logger, async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await deps.close();
});
