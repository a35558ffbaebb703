import test from 'ava';
import { Writable } from 'node:stream';
import { request } from 'node:http';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { createLogger } from '../../platform/logger.ts';
import { buildApp } from '../../app/api.ts';
import { apiClient } from '../helpers/client.ts';

let h: Harness;
test.before(async () => { h = await bootHarness(); });
test.after.always(async () => { await h?.close(); });

test('every response carries its request id in the body and the X-Request-Id header', async (t) => {
  const { client } = await h.workspace();
  const ok = await client.get('/workspace');
  t.is(ok.status, 200);
  t.regex(ok.body.request_id, /^req_[0-9a-f]{24}$/);
  t.is(ok.headers.get('x-request-id'), ok.body.request_id);

  const missing = await client.get('/contacts/nope/nothing');
  t.is(missing.status, 404);
  t.is(missing.body.error.code, 'route_not_found');
  t.is(missing.headers.get('x-request-id'), missing.body.request_id);

  const anonymous = await fetch(`${h.url}/workspace`);
  const body = await anonymous.json() as any;
  t.is(anonymous.status, 401);
  t.is(anonymous.headers.get('x-request-id'), body.request_id);
});

test('a caller-supplied X-Request-Id is kept', async (t) => {
  const { client } = await h.workspace();
  const res = await client.get('/workspace', { headers: { 'X-Request-Id': 'gateway-1234567890' } });
  t.is(res.body.request_id, 'gateway-1234567890');
  t.is(res.headers.get('x-request-id'), 'gateway-1234567890');
});

test('every log line of a request is JSON and carries its request id', async (t) => {
  const lines: string[] = [];
  const sink = new Writable({ write(chunk, _enc, done) { lines.push(...chunk.toString().split('\n').filter(Boolean)); done(); } });
  const logger = createLogger('info', 'slab5-test-logs', sink);
  const built = buildApp({ ...h.deps, logger });
  const server = built.app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const { port } = server.address() as { port: number };
  try {
    const { token } = await h.workspace();
    const client = apiClient(`http://127.0.0.1:${port}`, token, built.contract);
    const res = await client.post('/contacts', { name: 'Logged Person', email: 'logged@example.com' });
    t.is(res.status, 201);
    const bad = await client.post('/contacts', { nme: 'typo' });
    t.is(bad.status, 422);
    const parsed = lines.map((l) => JSON.parse(l));
    for (const id of [res.body.request_id, bad.body.request_id]) {
      const mine = parsed.filter((l) => l.request_id === id);
      t.true(mine.length >= 1, `a log line carries ${id}`);
      t.true(mine.some((l) => l.msg === 'request' && typeof l.status === 'number'));
    }
    t.true(parsed.every((l) => typeof l.level === 'number' && typeof l.time === 'string'));
  } finally {
    server.close();
  }
});

test('healthz answers while the process is up; readyz checks PostgreSQL, Temporal and S3', async (t) => {
  const health = await fetch(`${h.url}/healthz`);
  t.is(health.status, 200);
  const ready = await fetch(`${h.url}/readyz`);
  const body = await ready.json() as any;
  t.is(ready.status, 200);
  t.deepEqual(Object.keys(body.checks).sort(), ['postgres', 's3', 'temporal']);
  t.true(body.checks.postgres.ok && body.checks.temporal.ok && body.checks.s3.ok);
});

test('readyz answers 503 naming the dependency that is down', async (t) => {
  const broken = await bootHarness({ S3_BUCKET: 'no-such-bucket-for-readyz' });
  try {
    const ready = await fetch(`${broken.url}/readyz`);
    const body = await ready.json() as any;
    t.is(ready.status, 503);
    t.false(body.checks.s3.ok);
    t.true(body.checks.postgres.ok);
  } finally { await broken.close(); }
});

test('the contract is served as JSON and the reference page renders from local assets', async (t) => {
  const spec = await fetch(`${h.url}/openapi.json`);
  const doc = await spec.json() as any;
  t.is(doc.openapi, '3.1.0');
  t.truthy(doc.paths['/contacts'].post);
  const page = await fetch(`${h.url}/docs`);
  const html = await page.text();
  t.is(page.status, 200);
  t.regex(html, /\/docs\/assets\/swagger-ui-bundle\.js/);
  t.notRegex(html, /https?:\/\/(?!127\.0\.0\.1)/, 'no CDN references');
  const asset = await fetch(`${h.url}/docs/assets/swagger-ui-bundle.js`);
  t.is(asset.status, 200);
  t.regex(asset.headers.get('content-type') ?? '', /javascript/);
  t.true((await asset.text()).length > 100_000);
});

test('a method a path does not serve answers 405 in the envelope with Allow; TRACE too', async (t) => {
  const { token } = await h.workspace();
  // fetch refuses TRACE, so the request goes through node:http.
  const send = (method: string) => new Promise<{ status: number; headers: Record<string, any>; body: any }>((resolve, reject) => {
    const req = request(`${h.url}/contacts`, { method, headers: { Authorization: `Bearer ${token}` } }, (res) => {
      let text = '';
      res.on('data', (c) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end();
  });
  for (const method of ['PUT', 'TRACE']) {
    const res = await send(method);
    t.is(res.status, 405, method);
    t.is(res.body.error.code, 'method_not_allowed');
    t.regex(res.headers.allow ?? '', /GET/);
    t.true(res.body.error.details.allowed_methods.includes('POST'));
    t.is(res.headers['x-request-id'], res.body.request_id);
  }
});
