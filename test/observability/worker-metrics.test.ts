// The worker's two metrics listeners (bin/test starts its worker with both): the product's series
// (activities, webhook attempts, backlogs) and the Temporal SDK's own, moving as work runs.
import test from 'ava';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { scrape, total, type Sample } from '../helpers/prometheus.ts';
import { createEndpoint, receiverPool, waitUntil } from '../integrations/helpers.ts';

let h: Harness;
const pool = receiverPool();
test.before(async () => { h = await bootHarness(); });
test.after.always(async () => {
  await pool.closeAll();
  await h?.close();
});

const productUrl = () => process.env.SLAB5_TEST_WORKER_METRICS_URL!;
const sdkUrl = () => process.env.SLAB5_TEST_WORKER_SDK_METRICS_URL!;

test.serial('a webhook delivery moves the worker\'s product and Temporal SDK series', async (t) => {
  t.truthy(productUrl(), 'bin/test sets SLAB5_TEST_WORKER_METRICS_URL');
  const before = { product: await scrape(productUrl()), sdk: await scrape(sdkUrl()) };
  const { client } = await h.workspace();
  const r = await pool.receiver();
  await createEndpoint(client, { url: r.url, event_types: ['contact.created'] });
  t.is((await client.post('/contacts', { name: 'Ada' })).status, 201);
  await waitUntil('the delivery', async () => r.received.length >= 1);
  // The attempt is recorded after the receiver answered: poll the series briefly.
  let product: Sample[] = [];
  const moved = (name: string, labels: Record<string, string>) => total(product, name, labels) - total(before.product, name, labels);
  await waitUntil('the attempt counted', async () => {
    product = await scrape(productUrl());
    return moved('slab5_webhook_delivery_attempts_total', { outcome: 'succeeded', attempt: '1' }) >= 1
      && moved('slab5_activity_duration_seconds_count', { activity: 'attemptWebhookDelivery', outcome: 'completed' }) >= 1;
  });
  t.true(moved('slab5_webhook_response_duration_seconds_count', { outcome: 'succeeded' }) >= 1);
  // Backlogs are read at scrape time from the database.
  t.true(product.some((s) => s.name === 'slab5_backlog' && s.labels.queue === 'outbox'));
  t.true(product.some((s) => s.name === 'slab5_backlog_oldest_age_seconds' && s.labels.queue === 'workflow_commands'));
  t.true(total(product, 'slab5_db_pool_max') > 0);

  // The SDK reports a workflow once its completion reached the server.
  let sdk: Sample[] = [];
  await waitUntil('the SDK series', async () => {
    sdk = await scrape(sdkUrl());
    return total(sdk, 'temporal_workflow_completed_total', { workflow_type: 'deliverWebhook' }) > total(before.sdk, 'temporal_workflow_completed_total', { workflow_type: 'deliverWebhook' });
  }, 10_000, 200).catch(() => t.log([...new Set(sdk.map((s) => `${s.name}${JSON.stringify(s.labels)}`))].filter((n) => /workflow_completed|activity_execution/.test(n)).join('\n')));
  const sdkMoved = (name: string, labels: Record<string, string>) => total(sdk, name, labels) - total(before.sdk, name, labels);
  const names = [...new Set(sdk.map((s) => s.name))];
  t.true(names.some((n) => n.startsWith('temporal_')), `SDK series: ${names.slice(0, 10).join(', ')}`);
  t.true(sdkMoved('temporal_workflow_completed_total', { workflow_type: 'deliverWebhook' }) >= 1, names.filter((n) => n.includes('workflow')).join(', '));
  // The attempt is a local activity of the delivery workflow.
  t.true(sdkMoved('temporal_local_activity_execution_latency_seconds_count', { activity_type: 'attemptWebhookDelivery' }) >= 1,
    names.filter((n) => n.includes('activity')).join(', '));
});
