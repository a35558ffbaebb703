import test from 'ava';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { apiClient } from '../helpers/client.ts';
import { revokeToken, createToken } from '../../kernel/tenancy/workspaces.ts';

let h: Harness;
test.before(async () => { h = await bootHarness(); });
test.after.always(async () => { await h?.close(); });

test('401 without a token, with a malformed header, with an unknown token', async (t) => {
  const none = apiClient(h.url, null, h.built.contract);
  const res = await none.get('/contacts');
  t.is(res.status, 401);
  t.is(res.body.error.code, 'unauthorized');
  t.is(res.headers.get('www-authenticate'), 'Bearer realm="slab5"');
  t.deepEqual(res.contractErrors, []);

  const basic = await none.get('/contacts', { headers: { Authorization: 'Basic abc' } });
  t.is(basic.status, 401);
  t.regex(basic.body.error.message, /Bearer/);

  const unknown = apiClient(h.url, 'slab5_not-a-real-token', h.built.contract);
  t.is((await unknown.get('/contacts')).status, 401);
});

test('a revoked token answers 401', async (t) => {
  const { id } = await h.workspace();
  const em = h.deps.orm.em.fork();
  const issued = await createToken(em, id, ['crm:read'], 'to revoke');
  const client = apiClient(h.url, issued.token, h.built.contract);
  t.is((await client.get('/contacts')).status, 200);
  await revokeToken(em, issued.id);
  const after = await client.get('/contacts');
  t.is(after.status, 401);
  t.regex(after.body.error.message, /revoked/);
});

test('403 without the operation scope, naming the required scope', async (t) => {
  const { client } = await h.workspace({ scopes: ['crm:read'] });
  const res = await client.post('/contacts', { name: 'No Write' });
  t.is(res.status, 403);
  t.is(res.body.error.code, 'insufficient_scope');
  t.deepEqual(res.body.error.details.required_scopes, ['crm:write']);
  t.deepEqual(res.contractErrors, []);
  const other = await h.workspace({ scopes: ['support:read'] });
  t.is((await other.client.get('/contacts')).status, 403);
});

test('getWorkspace accepts any read scope and refuses a token with only write scopes', async (t) => {
  for (const scope of ['crm:read', 'support:read', 'bi:read', 'activity:read']) {
    const { client, id } = await h.workspace({ scopes: [scope] });
    const res = await client.get('/workspace');
    t.is(res.status, 200, scope);
    t.is(res.body.data.id, id);
    t.deepEqual(res.contractErrors, []);
  }
  const writer = await h.workspace({ scopes: ['crm:write'] });
  t.is((await writer.client.get('/workspace')).status, 403);
});

test('getWorkspace answers the contract shape', async (t) => {
  const { client, id } = await h.workspace({ name: 'Sandbox Workspace', enabled_modules: ['crm', 'tasks'] });
  const res = await client.get('/workspace');
  t.deepEqual(Object.keys(res.body).sort(), ['data', 'request_id']);
  t.is(res.body.data.id, id);
  t.is(res.body.data.name, 'Sandbox Workspace');
  t.deepEqual(res.body.data.enabled_modules, ['crm', 'tasks']);
  t.deepEqual(res.contractErrors, []);
});

test('403 module_not_enabled for a module the workspace has not enabled, even with the scope', async (t) => {
  const { client } = await h.workspace({ enabled_modules: ['support'] });
  const res = await client.get('/contacts');
  t.is(res.status, 403);
  t.is(res.body.error.code, 'module_not_enabled');
  t.is(res.body.error.details.module, 'crm');
  t.regex(res.body.error.message, /"crm" module is not enabled/);
});
