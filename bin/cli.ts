// slab5: the operator CLI. Finds the running dev stack's settings (.data/dev/stack.env) unless
// the environment names other services.
import { parseArgs } from 'node:util';
import { loadConfig, ConfigError } from '../platform/config.ts';
import { migrate } from '../platform/db.ts';
import { openOrm } from '../app/orm.ts';
import { createTemporalClient } from '../platform/temporal.ts';
import { createLogger } from '../platform/logger.ts';
import { createToken, revokeToken } from '../kernel/tenancy/workspaces.ts';
import { MODULES, SCOPES, parseList } from '../kernel/tenancy/scopes.ts';
import { createProvisionedWorkspace, DEFAULT_PROVISION_WAIT_MS } from './lib/operator.ts';
import { serveMcpOverStdio } from './lib/mcp-stdio.ts';

const USAGE = `usage:
  slab5 workspace create --name NAME [--modules LIST|all] [--rate-limit N] [--wait SECONDS] [--json]
  slab5 token create --workspace WRK_ID --scopes LIST|all [--name LABEL] [--json]
  slab5 token revoke TOKEN_ID
  slab5 migrate
  slab5 mcp --token TOKEN          (the API as an MCP server over stdio; or SLAB5_TOKEN)

modules: ${MODULES.join(', ')}
scopes:  ${SCOPES.join(', ')}`;

class UsageError extends Error {}

async function main(argv: string[]): Promise<void> {
  const [group, action, ...rest] = argv;
  if (group === 'mcp') {
    const token = parseArgs({ args: argv.slice(1), options: { token: { type: 'string' } } }).values.token ?? process.env.SLAB5_TOKEN;
    if (!token) throw new UsageError('mcp needs --token TOKEN (or SLAB5_TOKEN)');
    return serveMcpOverStdio(loadConfig(), token);
  }
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      name: { type: 'string' }, modules: { type: 'string' }, 'rate-limit': { type: 'string' }, wait: { type: 'string' },
      workspace: { type: 'string' }, scopes: { type: 'string' }, json: { type: 'boolean' },
    },
  });
  const config = loadConfig();
  const logger = createLogger('warn', 'slab5-cli');
  const orm = await openOrm(config.databaseUrl, logger);
  try {
    const print = (value: Record<string, unknown>, human: string) =>
      console.log(values.json ? JSON.stringify(value) : human);

    if (group === 'migrate' && !action) {
      const applied = await migrate(orm);
      console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
    } else if (group === 'workspace' && action === 'create') {
      if (!values.name) throw new UsageError('--name is required');
      const rateLimit = values['rate-limit'] === undefined ? null : Number(values['rate-limit']);
      if (rateLimit !== null && !(Number.isInteger(rateLimit) && rateLimit > 0)) throw new UsageError('--rate-limit must be a positive integer (requests per second)');
      const modules = parseList(values.modules ?? 'all', MODULES, 'module');
      const waitSeconds = values.wait === undefined ? DEFAULT_PROVISION_WAIT_MS / 1000 : Number(values.wait);
      if (!(Number.isFinite(waitSeconds) && waitSeconds > 0)) throw new UsageError('--wait must be a positive number of seconds');
      const temporal = await createTemporalClient(config);
      try {
        const ws = await createProvisionedWorkspace({ orm, temporal, taskQueue: config.temporalTaskQueue },
          { name: values.name, enabled_modules: modules, rate_limit_per_second: rateLimit }, waitSeconds * 1000);
        print(ws, `created workspace ${ws.id} (${ws.name}) with modules: ${ws.enabled_modules.join(', ')}`);
      } finally { await temporal.connection.close(); }
    } else if (group === 'token' && action === 'create') {
      if (!values.workspace) throw new UsageError('--workspace is required');
      if (!values.scopes) throw new UsageError('--scopes is required (a comma-separated list, or all)');
      const t = await createToken(orm.em.fork(), values.workspace, parseList(values.scopes, SCOPES, 'scope'), values.name ?? null);
      print({ id: t.id, token: t.token, workspace_id: t.workspace_id, scopes: t.scopes },
        `token ${t.id} for ${t.workspace_id} (shown once, store it now):\n${t.token}`);
    } else if (group === 'token' && action === 'revoke') {
      const id = positionals[0];
      if (!id) throw new UsageError('give the token id: slab5 token revoke TOKEN_ID');
      const t = await revokeToken(orm.em.fork(), id);
      print({ id: t.id, revoked_at: t.revoked_at?.toISOString() }, `revoked ${t.id}`);
    } else {
      throw new UsageError(`unknown command: ${[group, action].filter(Boolean).join(' ') || '(none)'}`);
    }
  } finally {
    await orm.close(true);
  }
}

main(process.argv.slice(2)).catch((err) => {
  if (err instanceof UsageError) console.error(`slab5: ${err.message}\n\n${USAGE}`);
  else if (err instanceof ConfigError) console.error(`slab5: ${err.message}\nIs the dev stack running (bin/dev)? Or set the variables above.`);
  else console.error(`slab5: ${(err as Error).message}`);
  process.exit(err instanceof UsageError ? 2 : 1);
});
