// One webhook POST against real receivers on loopback: what is kept of the answer, the deadline,
// no redirects, Retry-After, and refused targets that get no traffic at all.
import test from 'ava';
import { parseRetryAfter, postWebhook, EXCERPT_BYTES, MAX_RETRY_AFTER_MS } from '../../modules/integrations/delivery/http.ts';
import { targetPolicy } from '../../modules/integrations/targets.ts';
import { freePort, receiverPool } from './helpers.ts';

const loopback = targetPolicy(['127.0.0.0/8', '::1/128']);
const pool = receiverPool();
const { receiver } = pool;
test.after.always(() => pool.closeAll());

test('2xx: the status, a duration and the body; the request carries the headers, JSON type and User-Agent', async (t) => {
  const r = await receiver();
  r.answer(() => ({ status: 202, body: 'accepted' }));
  const result = await postWebhook(r.url, { 'webhook-id': 'evt_1' }, '{"a":1}', { policy: loopback });
  t.like(result, { status: 202, excerpt: 'accepted', error: null, retryAfterMs: null });
  t.true(result.durationMs >= 0);
  t.like(r.received[0]!.headers, { 'webhook-id': 'evt_1', 'content-type': 'application/json', 'content-length': '7' });
  t.regex(r.received[0]!.headers['user-agent']!, /^Slab5-Webhooks\/1\.0/);
  t.is(r.received[0]!.body, '{"a":1}');
});

test('an error status is a failure named by its code; only 1 KiB of the body is kept', async (t) => {
  const r = await receiver();
  r.answer(() => ({ status: 500, body: 'é'.repeat(3000) }));
  const result = await postWebhook(r.url, {}, '{}', { policy: loopback });
  t.like(result, { status: 500, error: 'HTTP 500' });
  t.true(Buffer.byteLength(result.excerpt!) <= EXCERPT_BYTES);
  t.true(result.excerpt!.startsWith('éé'));
});

test('a redirect is not followed: it is a failure, and its target gets nothing', async (t) => {
  const target = await receiver();
  const r = await receiver();
  r.answer(() => ({ status: 302, headers: { location: target.url } }));
  t.like(await postWebhook(r.url, {}, '{}', { policy: loopback }), { status: 302, error: 'HTTP 302' });
  t.is(target.received.length, 0);
});

test('429 and 503 carry their Retry-After (seconds or a date), capped', async (t) => {
  const r = await receiver();
  r.answer((_, i) => (i === 0 ? { status: 429, headers: { 'retry-after': '120' } } : { status: 503, headers: { 'retry-after': new Date(Date.now() + 60_000).toUTCString() } }));
  t.like(await postWebhook(r.url, {}, '{}', { policy: loopback }), { status: 429, retryAfterMs: 120_000 });
  const dated = await postWebhook(r.url, {}, '{}', { policy: loopback });
  t.true(dated.retryAfterMs! > 55_000 && dated.retryAfterMs! <= 60_000);
  t.is(parseRetryAfter('99999999', 0), MAX_RETRY_AFTER_MS);
  t.is(parseRetryAfter('soon', 0), null);
  t.is(parseRetryAfter(undefined, 0), null);
});

test('a receiver that never answers times out at the deadline', async (t) => {
  const r = await receiver();
  r.answer(() => ({ status: 200, hang: true }));
  const result = await postWebhook(r.url, {}, '{}', { policy: loopback, timeoutMs: 300 });
  t.like(result, { status: null, error: 'timed out after 300 ms' });
  t.true(result.durationMs >= 290);
});

test('nothing listening: connection refused', async (t) => {
  t.like(await postWebhook(`http://127.0.0.1:${await freePort()}/`, {}, '{}', { policy: loopback }), { status: null, error: 'connection refused' });
});

test('a refused target gets no traffic: the guard runs before any connection', async (t) => {
  const r = await receiver();
  const result = await postWebhook(r.url, {}, '{}', { policy: targetPolicy([]) });
  t.like(result, { status: null });
  t.regex(result.error!, /refused target 127\.0\.0\.1: 127\.0\.0\.1 is a loopback address/);
  t.is(r.received.length, 0);
});

test('the connection goes to the address the guard checked (pinned), whatever the name resolves to later', async (t) => {
  const r = await receiver();
  const url = r.url.replace('127.0.0.1', 'hooks.slab5.test');
  const result = await postWebhook(url, {}, '{}', { policy: loopback, resolve: async () => [{ address: '127.0.0.1', family: 4 }] });
  t.like(result, { status: 200, error: null });
  t.is(r.received[0]!.headers.host, `hooks.slab5.test:${r.port}`);
});
