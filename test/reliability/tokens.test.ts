// Tokens and secrets: no log line of a run carries a token or a secret (the API's own lines at
// trace level, and the worker's log of the same run, are grepped); a revoked token is refused
// on the very next request, over REST and on a live MCP session; secrets are compared in
// constant time (a scan of the product's source).
import test from 'ava';
import { readFileSync, existsSync } from 'node:fs';
import { resolve, relative } from 'node:path';
import { Writable } from 'node:stream';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { sourceFiles } from '../helpers/source-files.ts';
import { createToken, revokeToken } from '../../kernel/tenancy/workspaces.ts';
import { hashToken } from '../../platform/tokens.ts';

const root = resolve(import.meta.dirname, '../..');
const lines: string[] = [];
const sink = new Writable({ write(chunk, _enc, done) { lines.push(...chunk.toString().split('\n').filter(Boolean)); done(); } });

let h: Harness;
test.before(async () => { h = await bootHarness({}, { logTo: sink, logLevel: 'trace' }); });
test.after.always(async () => { await h?.built.close(); await h?.close(); });

async function mcp(token: string) {
  const client = new Client({ name: 'slab5-reliability', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${h.url}/mcp`), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
  return client;
}

test.serial('a revoked token is refused on the next request: REST, an idempotent replay and a live MCP session', async (t) => {
  const ws = await h.workspace();
  const em = h.deps.orm.em.fork();
  const issued = await createToken(em, ws.id, ['crm:read', 'crm:write'], 'to revoke');
  const auth = { Authorization: `Bearer ${issued.token}`, 'Content-Type': 'application/json' };
  const write = () => fetch(`${h.url}/contacts`, { method: 'POST', headers: { ...auth, 'Idempotency-Key': 'revoke-me' }, body: JSON.stringify({ name: 'Before revocation' }) });
  t.is((await write()).status, 201);
  t.is((await write()).headers.get('idempotent-replayed'), 'true', 'the replay is stored');
  const client = await mcp(issued.token);
  t.teardown(() => client.close().catch(() => undefined));
  t.true((await client.listTools()).tools.length > 0);

  await revokeToken(em, issued.id);

  const read = await fetch(`${h.url}/contacts`, { headers: auth });
  t.is(read.status, 401);
  t.is(((await read.json()) as any).error.code, 'unauthorized');
  t.is((await write()).status, 401, 'a stored idempotent response is not replayed to a revoked token');
  await t.throwsAsync(client.listTools(), undefined, 'the MCP session of a revoked token refuses its next request');
  // The workspace's other tokens are unaffected.
  t.is((await ws.client.get('/contacts')).status, 200);
});

test.serial('no log line of a run carries a token, a token hash or a secret', async (t) => {
  const ws = await h.workspace({ rate_limit_per_second: 1_000_000 });
  const other = await h.workspace();
  // A run touching every path a secret takes: good and bad tokens, writes, an idempotent
  // replay, a webhook endpoint (its signing secret) and a rotation, MCP, errors of each kind.
  await ws.client.post('/contacts', { name: 'Logged Person', email: 'logged@example.com' }, { headers: { 'Idempotency-Key': 'log-k' } });
  await ws.client.post('/contacts', { name: 'Logged Person', email: 'logged@example.com' }, { headers: { 'Idempotency-Key': 'log-k' } });
  await ws.client.post('/contacts', { name: 'x'.repeat(10_000) });
  await ws.client.get('/contacts?cursor=garbage');
  const hook = await ws.client.post('/webhooks', { name: 'Log hook', url: 'http://127.0.0.1:9/log-hook', event_types: ['contact.created'] });
  t.is(hook.status, 201);
  const secrets = [hook.body.data.signing_secret as string];
  const rotated = await ws.client.patch(`/webhooks/${hook.body.data.id}`, { rotate_secret: true });
  t.is(rotated.status, 200);
  secrets.push(rotated.body.data.signing_secret);
  await ws.client.post('/contacts', { name: 'Delivered Person' });
  await ws.client.post(`/webhooks/${hook.body.data.id}/test`, {});
  const cursor = (await ws.client.get('/contacts?limit=1')).body.next_cursor;
  for (const header of [`Bearer ${ws.token}x`, `Bearer ${ws.token.slice(0, -2)}`, `Basic ${Buffer.from(`u:${ws.token}`).toString('base64')}`, ws.token]) {
    t.is((await fetch(`${h.url}/contacts`, { headers: { Authorization: header } })).status, 401);
  }
  await fetch(`${h.url}/contacts?access_token=${ws.token}`);
  await other.client.get(`/contacts?cursor=${encodeURIComponent(cursor)}`);
  const client = await mcp(ws.token);
  await client.callTool({ name: 'list_contacts', arguments: { limit: 1 } });
  await client.close();
  // The worker's delivery attempts of this run land in its log.
  await new Promise((r) => setTimeout(r, 1500));

  const forbidden = new Map<string, string>([
    ['the API token', ws.token], ['the API token without its prefix', ws.token.replace(/^slab5_/, '')],
    ['the token hash', hashToken(ws.token)], ['the other token', other.token],
    ...secrets.map((s, i) => [`webhook signing secret ${i}`, s] as [string, string]),
    ...secrets.map((s, i) => [`webhook signing secret ${i} without its prefix`, s.replace(/^whsec_/, '')] as [string, string]),
    ['the cursor secret', h.config.cursorSecret],
    ['the S3 secret key', h.config.s3SecretAccessKey],
  ]);
  const password = new URL(h.config.databaseUrl).password;
  if (password) forbidden.set('the database password', password);
  // The test stack's own service credentials can be short words ("postgres") that any line may
  // hold; those are not checked (the generated tokens and secrets always are).
  for (const [name, value] of forbidden) if (value.length < 12) { t.log(`not checked (a short test credential): ${name}`); forbidden.delete(name); }

  const worker = resolve(process.env.SLAB5_TEST_DATA_DIR ?? resolve(root, '.data/test'), 'worker.log');
  const logs = [...lines.map((l) => ['api', l] as const), ...(existsSync(worker) ? readFileSync(worker, 'utf8').split('\n').map((l) => ['worker', l] as const) : [])];
  t.true(lines.length >= 20, `the API logged ${lines.length} lines at trace level`);
  t.true(lines.some((l) => l.includes(ws.id)), 'the run is in the logs');
  for (const [where, line] of logs) {
    for (const [name, secret] of forbidden) t.false(line.includes(secret), `${where} log line carries ${name}: ${line.slice(0, 300)}`);
    t.false(/authorization"?\s*:\s*"?(bearer|basic)\s/i.test(line), `${where} log line carries an Authorization header: ${line.slice(0, 300)}`);
  }
});

test('secrets are compared in constant time: no === or !== on a secret, a signature, a hash or a token', (t) => {
  // Product source files (not tests, not generated types).
  const files = ['platform', 'kernel', 'api', 'modules', 'app', 'bin'].flatMap(sourceFiles)
    .filter((file) => !file.endsWith('.gen.ts')).map((file) => resolve(root, file));
  t.true(files.length > 100);
  // An identifier naming a secret, compared with === / !== to anything but null/undefined/a literal type tag.
  const secretName = String.raw`[\w.$\]\)]*(?:secret|signature|hmac|digest|password|passwd|tokenHash|token_hash|apiKey|api_key)[\w.$\]\)]*`;
  const comparison = new RegExp(String.raw`(?:${secretName}\s*[!=]==\s*(?!null\b|undefined\b|'|")[\w$]|(?<![\w'"])(?!null\b|undefined\b)[\w$.]+\s*[!=]==\s*${secretName})`, 'i');
  const offenders: string[] = [];
  for (const file of files) {
    readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
      if (/^\s*(\/\/|\*)/.test(line)) return;
      if (comparison.test(line)) offenders.push(`${relative(root, file)}:${i + 1}: ${line.trim()}`);
    });
  }
  t.deepEqual(offenders, [], 'compare secrets with crypto.timingSafeEqual (equal-length buffers)');
  // Where the product does compare secrets, it uses timingSafeEqual.
  for (const file of ['platform/cursor.ts', 'api/mcp/http.ts']) t.regex(readFileSync(resolve(root, file), 'utf8'), /timingSafeEqual\(/, file);
  // API tokens are never compared in JavaScript: the SHA-256 of the presented token is looked up.
  t.regex(readFileSync(resolve(root, 'kernel/tenancy/workspaces.ts'), 'utf8'), /token_hash: hashToken\(presented\)/);
});
