import test from 'ava';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { apiClient } from '../helpers/client.ts';

const run = promisify(execFile);
const cli = fileURLToPath(new URL('../../bin/slab5.js', import.meta.url));
const slab5 = (...args: string[]) => run(process.execPath, [cli, ...args], { env: process.env });

let h: Harness;
test.before(async () => { h = await bootHarness(); });
test.after.always(async () => { await h?.close(); });

test('workspace create, token create and token revoke work end to end', async (t) => {
  const ws = JSON.parse((await slab5('workspace', 'create', '--name', 'CLI Co', '--modules', 'crm,tasks', '--rate-limit', '7', '--json')).stdout);
  t.regex(ws.id, /^wrk_/);
  t.is(ws.name, 'CLI Co');
  t.deepEqual(ws.enabled_modules, ['crm', 'tasks']);
  const row = await h.sql<{ rate_limit_per_second: number; status: string }>('select rate_limit_per_second, status from workspaces where id = ?', [ws.id]);
  t.is(row[0]!.rate_limit_per_second, 7);
  t.is(row[0]!.status, 'active', 'provisioned by the workflow');

  const token = JSON.parse((await slab5('token', 'create', '--workspace', ws.id, '--scopes', 'all', '--name', 'ci', '--json')).stdout);
  t.deepEqual(Object.keys(token).sort(), ['id', 'scopes', 'token', 'workspace_id']);
  t.is(token.workspace_id, ws.id);
  t.true(token.scopes.includes('crm:read') && token.scopes.includes('bi:write'));
  const stored = await h.sql<{ token_hash: string }>('select token_hash from api_tokens where id = ?', [token.id]);
  t.not(stored[0]!.token_hash, token.token, 'only a hash is stored');
  t.regex(stored[0]!.token_hash, /^[0-9a-f]{64}$/);

  const client = apiClient(h.url, token.token, h.built.contract);
  const me = await client.get('/workspace');
  t.is(me.body.data.id, ws.id);
  await slab5('token', 'revoke', token.id);
  t.is((await client.get('/workspace')).status, 401);
});

test('bad input gets a clear message and a non-zero exit', async (t) => {
  const unknownModule = await t.throwsAsync(slab5('workspace', 'create', '--name', 'X', '--modules', 'crm,unicorns'));
  t.regex((unknownModule as any).stderr, /Unknown module: unicorns/);
  const noName = await t.throwsAsync(slab5('workspace', 'create'));
  t.regex((noName as any).stderr, /--name is required/);
  t.is((noName as any).code, 2);
  const badScope = await t.throwsAsync(slab5('token', 'create', '--workspace', 'wrk_x', '--scopes', 'crm:admin'));
  t.regex((badScope as any).stderr, /Unknown scope: crm:admin/);
  const badEnv = await t.throwsAsync(run(process.execPath, [cli, 'migrate'], { env: { ...process.env, DATABASE_URL: 'mysql://nope' } }));
  t.regex((badEnv as any).stderr, /DATABASE_URL must use postgres:/);
});

test('workspace create reports clearly when no worker provisions the workspace in time', async (t) => {
  const queue = `nobody-polls-${Date.now()}`;
  const err = await t.throwsAsync(run(process.execPath, [cli, 'workspace', 'create', '--name', 'Orphan', '--wait', '2', '--json'],
    { env: { ...process.env, TEMPORAL_TASK_QUEUE: queue } }));
  t.is((err as any).code, 1);
  t.regex((err as any).stderr, /provisioning has not finished after 2s/);
  t.regex((err as any).stderr, new RegExp(`task queue "${queue}"`));
  const id = /Workspace (wrk_\w+)/.exec((err as any).stderr)?.[1];
  t.truthy(id);
  const row = await h.sql<{ status: string }>('select status from workspaces where id = ?', [id]);
  t.is(row[0]!.status, 'provisioning', 'left for a worker to finish, not half-provisioned');
  const bad = await t.throwsAsync(slab5('workspace', 'create', '--name', 'X', '--wait', 'soon'));
  t.regex((bad as any).stderr, /--wait must be a positive number of seconds/);
});
