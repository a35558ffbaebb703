// The API's Prometheus series move with the requests it serves, on the metrics listener (never
// on the public port): per operationId and status, 429s, idempotent replays, BI statements, the
// database pool. Serial: the series are the process's, shared by every test of this file.
import test from 'ava';
import { serveMetrics, type MetricsServer } from '../../platform/metrics.ts';
import { createLogger } from '../../platform/logger.ts';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { scrape, total } from '../helpers/prometheus.ts';

let h: Harness;
let metrics: MetricsServer;
test.before(async () => {
  h = await bootHarness();
  metrics = await serveMetrics('127.0.0.1', 0, createLogger('silent'));
});
test.after.always(async () => {
  await metrics?.close();
  await h?.close();
});

const HTTP = 'slab5_http_request_duration_seconds_count';

test.serial('requests are counted per operationId and status, with 429s and idempotent replays', async (t) => {
  const { client } = await h.workspace();
  const before = await scrape(metrics.url);

  t.is((await client.post('/contacts', { name: 'Ada' })).status, 201);
  t.is((await client.post('/contacts', { name: 'Grace' })).status, 201);
  t.is((await client.post('/contacts', { name: '' })).status, 422);
  const headers = { 'Idempotency-Key': 'metrics-1' };
  t.is((await client.post('/companies', { name: 'Acme' }, { headers })).status, 201);
  const replay = await client.post('/companies', { name: 'Acme' }, { headers });
  t.is(replay.headers.get('idempotent-replayed'), 'true');
  t.is((await client.post('/companies', { name: 'Other' }, { headers })).status, 409);
  // Four at once against a limit of one per second: at least one window holds two of them.
  const limited = await h.workspace({ rate_limit_per_second: 1 });
  const statuses = (await Promise.all(Array.from({ length: 4 }, () => limited.client.get('/contacts')))).map((r) => r.status);
  const n429 = statuses.filter((s) => s === 429).length;
  t.true(n429 >= 1, `statuses ${statuses.join(',')}`);
  t.is((await fetch(`${h.url}/healthz`)).status, 200);
  t.is((await fetch(`${h.url}/no/such/route`)).status, 404);

  const after = await scrape(metrics.url);
  const delta = (name: string, labels: Record<string, string>) => total(after, name, labels) - total(before, name, labels);
  t.is(delta(HTTP, { operation: 'createContact', status: '201' }), 2);
  t.is(delta(HTTP, { operation: 'createContact', status: '422' }), 1);
  t.is(delta(HTTP, { operation: 'createCompany', status: '201' }), 2, 'the replay answers the stored 201');
  t.is(delta(HTTP, { operation: 'createCompany', status: '409' }), 1);
  t.is(delta(HTTP, { operation: 'listContacts', status: '429' }), n429);
  t.is(delta('slab5_http_rate_limited_total', { operation: 'listContacts' }), n429);
  t.is(delta('slab5_idempotency_total', { operation: 'createCompany', outcome: 'replayed' }), 1);
  t.is(delta('slab5_idempotency_total', { operation: 'createCompany', outcome: 'key_reused' }), 1);
  t.is(delta(HTTP, { operation: '/healthz', status: '200' }), 1, 'system routes by their pattern');
  t.is(delta(HTTP, { operation: 'unmatched', status: '404' }), 1, 'unknown paths share one label');
  // The histogram's sum moved too: latency is recorded, not just the count.
  t.true(total(after, 'slab5_http_request_duration_seconds_sum', { operation: 'createContact' }) > total(before, 'slab5_http_request_duration_seconds_sum', { operation: 'createContact' }));
});

test.serial('the database pool and the process are reported; the public port serves no metrics', async (t) => {
  const samples = await scrape(metrics.url);
  t.true(total(samples, 'slab5_db_pool_max') >= 10, 'every open ORM\'s pool limit');
  t.true(samples.some((s) => s.name === 'slab5_db_pool_connections' && s.labels.state === 'used'));
  t.true(total(samples, 'slab5_db_pool_connections', { state: 'free' }) + total(samples, 'slab5_db_pool_connections', { state: 'used' }) >= 1);
  t.true(total(samples, 'slab5_process_resident_memory_bytes') > 0);
  t.is((await fetch(`${h.url}/metrics`)).status, 404);
  t.is((await fetch(metrics.url.replace('/metrics', '/other'))).status, 404);
});

test.serial('BI statements are timed and the age of the snapshot they read is recorded', async (t) => {
  const { client } = await h.workspace();
  await client.post('/contacts', { name: 'Ada' });
  const before = await scrape(metrics.url);
  const res = await client.post('/bi/queries/run', { sql: 'select count(*) as n from contacts' });
  t.is(res.status, 200, JSON.stringify(res.body));
  const after = await scrape(metrics.url);
  const delta = (name: string, labels: Record<string, string> = {}) => total(after, name, labels) - total(before, name, labels);
  t.is(delta('slab5_bi_query_duration_seconds_count', { source: 'snapshot', outcome: 'ok' }), 1);
  t.is(delta('slab5_bi_snapshot_age_seconds_count'), 1);
  t.true(delta('slab5_bi_snapshot_build_duration_seconds_count') >= 1, 'a fresh workspace\'s snapshot was built');
});
