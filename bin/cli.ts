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
import { listWorkflows, retryWorkflow, showWorkflow } from './lib/workflows.ts';
import { createWorkflowRunner } from '../app/workflow-runner.ts';

const USAGE = `usage:
  slab5 workspace create --name NAME [--modules LIST|all] [--rate-limit N] [--wait SECONDS] [--json]
  slab5 token create --workspace WRK_ID --scopes LIST|all [--name LABEL] [--json]
  slab5 token revoke TOKEN_ID
  slab5 migrate
  slab5 mcp --token TOKEN          (the API as an MCP server over stdio; or SLAB5_TOKEN)
  slab5 workflows --workspace WRK_ID [--status running|completed|failed|terminated|...] [--limit N] [--json]
  slab5 workflow show WORKFLOW_ID [--json]
  slab5 workflow retry WORKFLOW_ID [--json]

modules: ${MODULES.join(', ')}
scopes:  ${SCOPES.join(', ')}`;

class UsageError extends Error {}

async function main(argv: string[]): Promise<void> {
  const [group, action, ...rest] = argv;
  if (group === 'workflows' || group === 'workflow') return workflowCommand(group, argv.slice(1));
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

/** `slab5 workflows ...` and `slab5 workflow show|retry ...`: the operator's view of long-running work. */
async function workflowCommand(group: string, args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true,
    options: { workspace: { type: 'string' }, status: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' } },
  });
  const config = loadConfig();
  const temporal = await createTemporalClient(config);
  const json = (v: unknown) => console.log(JSON.stringify(v));
  try {
    if (group === 'workflows') {
      if (!values.workspace) throw new UsageError('--workspace is required');
      const limit = values.limit === undefined ? 50 : Number(values.limit);
      if (!(Number.isInteger(limit) && limit > 0 && limit <= 1000)) throw new UsageError('--limit must be an integer from 1 to 1000');
      const rows = await listWorkflows(temporal, values.workspace, values.status, limit);
      if (values.json) return json(rows);
      if (!rows.length) return console.log(`no workflows for ${values.workspace}${values.status ? ` with status ${values.status}` : ''}`);
      for (const r of rows) console.log(`${r.status.padEnd(11)} ${r.type.padEnd(28)} ${r.workflow_id}  started ${r.started_at ?? '-'}`);
      return;
    }
    const [action, workflowId] = positionals;
    if (!workflowId || (action !== 'show' && action !== 'retry')) throw new UsageError('use: slab5 workflow show|retry WORKFLOW_ID');
    if (action === 'show') {
      const d = await showWorkflow(temporal, config, workflowId);
      if (values.json) return json(d);
      console.log([
        `${d.workflow_id} (${d.type}): ${d.status}`, `  run ${d.run_id}, started ${d.started_at ?? '-'}, closed ${d.closed_at ?? '-'}`,
        `  workspace ${d.workspace_id ?? '-'}, resource ${d.resource_id ?? '-'}, request ${d.request_id ?? '-'}`,
        d.failure ? `  failure: ${d.failure}` : null, d.ui_url ? `  Temporal UI: ${d.ui_url}` : null,
        d.retry ? `  retry (slab5 workflow retry ${d.workflow_id}): ${d.retry}` : null,
      ].filter(Boolean).join('\n'));
      return;
    }
    const orm = await openOrm(config.databaseUrl, createLogger('warn', 'slab5-cli'));
    try {
      const dispatcher = createWorkflowRunner({ orm, temporal, taskQueue: config.temporalTaskQueue, logger: createLogger('warn', 'slab5-cli') });
      const started = await retryWorkflow(temporal, config, orm, dispatcher, workflowId);
      if (values.json) return json(started);
      console.log(`retried: ${started.workflowId}${started.runId ? ` run ${started.runId}` : ' (the worker\'s relay starts it)'}`);
    } finally { await orm.close(true); }
  } finally {
    await temporal.connection.close();
  }
}

main(process.argv.slice(2)).catch((err) => {
  if (err instanceof UsageError) console.error(`slab5: ${err.message}\n\n${USAGE}`);
  else if (err instanceof ConfigError) console.error(`slab5: ${err.message}\nIs the dev stack running (bin/dev)? Or set the variables above.`);
  else console.error(`slab5: ${(err as Error).message}`);
  process.exit(err instanceof UsageError ? 2 : 1);
});
