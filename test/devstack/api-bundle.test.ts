// The API as deployed: the esbuild bundle (tools/build/api-bundle.ts) started as its own process
// on the harness's services, from a foreign working directory, answers what the source tree
// answers. A path that resolves in the source tree but not in .build/ (the contract, the docs
// assets) fails here; so does a stack trace that stops naming the .ts sources.
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { apiClient } from '../helpers/client.ts';
import { API_BUNDLE_NODE_FLAGS, buildApiBundle } from '../../tools/build/api-bundle.ts';
import { freePort, startProcess, waitFor, type Managed } from '../../tools/devstack/processes.ts';

const root = resolve(import.meta.dirname, '../..');
// Not the repository: nothing may resolve against the working directory by luck.
const elsewhere = mkdtempSync(join(tmpdir(), 'slab5-api-bundle-'));
let h: Harness;
let bundle: string;
let api: Managed;
let url: string;

test.before(async () => {
  h = await bootHarness();
  bundle = await buildApiBundle(root);
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  api = startProcess('api-bundle', process.execPath, [...API_BUNDLE_NODE_FLAGS, bundle], {
    // Kept after the run (bin/test's data dir), for a failure's message to point at.
    logFile: join(process.env.SLAB5_TEST_DATA_DIR ?? tmpdir(), 'logs/api-bundle.log'), cwd: elsewhere,
    env: { PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: url, LOG_LEVEL: 'info' },
  });
  await waitFor('the bundled API', async () => (await fetch(`${url}/healthz`)).ok, { timeoutMs: 60_000, process: api });
});
test.after.always(async () => {
  await api?.stop();
  await h?.close();
  rmSync(elsewhere, { recursive: true, force: true });
});

test('the build writes .build/api.mjs with our sources inlined and npm packages external', (t) => {
  t.is(bundle, join(root, '.build/api.mjs'));
  const text = readFileSync(bundle, 'utf8');
  t.regex(text, /^\/\/ api\/contract\.ts$/m, 'our modules are in the bundle');
  t.regex(text, /^import .* from "koa";$/m, 'packages are imported from node_modules');
  t.notRegex(text, /^\/\/ node_modules\//m, 'no package is inlined');
});

test('it serves the contract and the reference page assets (paths resolved from the bundle)', async (t) => {
  const contract = await fetch(`${url}/openapi.json`);
  t.is(contract.status, 200);
  const doc = await contract.json() as { openapi: string; paths: Record<string, unknown> };
  t.deepEqual(doc, h.built.contract.document);
  const css = await fetch(`${url}/docs/assets/swagger-ui.css`);
  t.is(css.status, 200);
  t.true((await css.text()).length > 1000);
});

test('an authenticated write and list answer with data; an unknown route is 404', async (t) => {
  const { token } = await h.workspace();
  const client = apiClient(url, token, h.built.contract);
  const created = await client.post('/contacts', { name: 'Bundled Contact', email: 'bundle@example.com' });
  t.is(created.status, 201, JSON.stringify(created.body));
  t.deepEqual(created.contractErrors, []);
  const list = await client.get('/contacts?limit=25');
  t.is(list.status, 200, JSON.stringify(list.body));
  t.deepEqual(list.contractErrors, []);
  t.deepEqual(list.body.data.map((c: { id: string; name: string }) => [c.id, c.name]), [[created.body.data.id, 'Bundled Contact']]);
  const unknown = await client.get('/no-such-route');
  t.is(unknown.status, 404);
  t.is(unknown.body.error.code, 'route_not_found');
  t.is((await client.get('/contacts')).status, 200, 'the process still serves after the 404');
});

test('a stack trace from the bundle names the .ts sources', (t) => {
  // An invalid PORT fails at start, with an uncaught ConfigError and its stack.
  const run = spawnSync(process.execPath, [...API_BUNDLE_NODE_FLAGS, bundle], { cwd: elsewhere, env: { ...process.env, PORT: 'not-a-port' }, encoding: 'utf8', timeout: 30_000 });
  t.is(run.status, 1);
  t.regex(run.stderr, /PORT must be an integer/);
  t.regex(run.stderr, /at loadConfig \(.*platform\/config\.ts:\d+:\d+\)/);
  t.regex(run.stderr, /bin\/api\.ts:\d+:\d+/);
});
