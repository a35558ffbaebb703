// One trace from the API request through the workflow start to each activity and its SQL, over
// OTLP/HTTP to a collector (here a loopback receiver), with the request id on every span. The
// API runs in this process with tracing on; the worker is a process of this test's own, on its
// own task queue, exporting to the same receiver.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import test from 'ava';
import { TRACE_HEADER as SDK_TRACE_HEADER } from '@temporalio/interceptors-opentelemetry/lib/instrumentation.js';
import { startTracing, REQUEST_ID_ATTRIBUTE, type Tracing } from '../../platform/tracing.ts';
import { TRACE_HEADER } from '../../app/request-id-header.ts';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { workerProcesses } from '../helpers/worker-processes.ts';
import { pipelineWorkspace, waitUntil } from '../leads/helpers.ts';

interface Span { traceId: string; spanId: string; parentSpanId?: string; name: string; service: string; attributes: Record<string, unknown> }

const spans: Span[] = [];
let collector: Server;
let endpoint: string;
let tracing: Tracing;
let h: Harness;
const workers = workerProcesses('tracing');

/** OTLP/JSON: resourceSpans → scopeSpans → spans, attributes as [{key, value: {stringValue|intValue...}}]. */
function collect(body: any) {
  const value = (v: any) => v?.stringValue ?? v?.intValue ?? v?.boolValue ?? v?.doubleValue;
  for (const rs of body.resourceSpans ?? []) {
    const service = value(rs.resource?.attributes?.find((a: any) => a.key === 'service.name')?.value);
    for (const ss of rs.scopeSpans ?? []) {
      for (const s of ss.spans ?? []) {
        spans.push({ traceId: s.traceId, spanId: s.spanId, parentSpanId: s.parentSpanId || undefined, name: s.name, service,
          attributes: Object.fromEntries((s.attributes ?? []).map((a: any) => [a.key, value(a.value)])) });
      }
    }
  }
}

test.before(async () => {
  collector = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.url === '/v1/traces') collect(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
  tracing = await startTracing(endpoint, 'slab5-api');
  h = await bootHarness({ TEMPORAL_TASK_QUEUE: workers.queue });
  workers.start({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_BSP_SCHEDULE_DELAY: '200' });
});

test.after.always(async () => {
  await workers.killAll();
  await h?.close();
  await tracing?.shutdown();
  collector?.close();
});

test.serial('the workflow interceptor forwards the header Temporal\'s OpenTelemetry interceptors use', (t) => {
  t.is(TRACE_HEADER, SDK_TRACE_HEADER);
});

test.serial('a lead conversion is one trace: request → workflow start → activities → SQL, each span with the request id', async (t) => {
  const { client } = await pipelineWorkspace(h);
  const lead = (await client.post('/leads', { name: 'Traced Lead', email: 'traced@example.com', company_name: 'Traced Co' })).body.data;
  const res = await client.post(`/leads/${lead.id}/convert`, {});
  t.true([200, 202].includes(res.status), JSON.stringify(res.body));
  const requestId: string = res.body.request_id;
  await waitUntil('the conversion', async () => (await h.sql(`select status from leads where id = ?`, [lead.id]))[0]?.status === 'converted');
  await tracing.flush();

  const server = await waitUntil('the request span', async () => spans.find((s) => s.name === 'POST convertLead' && s.attributes[REQUEST_ID_ATTRIBUTE] === requestId));
  const trace = () => spans.filter((s) => s.traceId === server.traceId);
  const activities = ['beginLeadConversion', 'ensureConversionCompany', 'ensureConversionContact', 'completeLeadConversion'];
  const activitySpans = () => trace().filter((s) => s.service === 'slab5-worker' && activities.some((a) => s.name === `RunActivity:${a}`));
  // The worker exports in batches: wait for the last activity's.
  await waitUntil('the worker\'s activity spans', async () => new Set(activitySpans().map((s) => s.name)).size === activities.length, 30_000, 100);

  const mine = trace();
  const start = mine.find((s) => s.name === 'StartWorkflow:convertLead');
  t.truthy(start, 'the workflow start is in the request\'s trace');
  t.true(mine.some((s) => s.service === 'slab5-api' && s.name.startsWith('pg') && s.parentSpanId === server.spanId), 'the request\'s SQL');
  // Each activity's SQL is its child.
  for (const activity of activitySpans()) {
    t.true(mine.some((s) => s.service === 'slab5-worker' && s.name.startsWith('pg.query') && s.parentSpanId === activity.spanId), `${activity.name} has its SQL`);
  }
  for (const s of mine) t.is(s.attributes[REQUEST_ID_ATTRIBUTE], requestId, `${s.service} ${s.name} carries the request id`);
});
