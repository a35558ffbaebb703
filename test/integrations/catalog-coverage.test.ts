// Every event type the product records is declared in some module's manifest, so the catalog
// (and the endpoints' subscriptions) know it with no second edit. Checked two ways: statically
// over the source (the outbox helpers' call sites) and on the outbox itself after driving the API.
import test from 'ava';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { registry } from '../../app/modules.ts';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { seedDefaultPipeline } from '../../modules/crm/deals/pipeline-defaults.ts';
import { startReceiver } from './helpers.ts';

const root = resolve(import.meta.dirname, '../..');
const declared = new Set(registry.events.map((e) => e.type));

let h: Harness;
test.before(async () => { h = await bootHarness(); });
test.after.always(async () => { await h?.close(); });

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const KEY = "'([a-z][a-z0-9_]*(?:\\.[a-z][a-z0-9_]*)+)'";
const PATTERNS: [RegExp, (m: RegExpExecArray) => string][] = [
  // recordEvent(ctx, { type: 'deal.updated', ... }) across lines
  [new RegExp(`recordEvent\\(\\s*\\w+,\\s*\\{[^}]*?type:\\s*${KEY}`, 'gs'), (m) => m[1]!],
  // recordCreated(ctx, 'task', ...) and insertCreated(ctx, 'task', ...) record `task.created`
  [/(?:recordCreated|insertCreated)\(\s*\w+,\s*'([a-z][a-z0-9_]*)'/g, (m) => `${m[1]}.created`],
  // a module's own wrapper: recordEndpointEvent(ctx, 'webhook.endpoint.created', ...)
  [new RegExp(`\\b\\w+Event\\(\\s*ctx,\\s*${KEY}`, 'g'), (m) => m[1]!],
];

test('statically: every event type a call site records is declared in a manifest', (t) => {
  const found = new Map<string, string>();
  for (const file of [...sources(join(root, 'modules')), ...sources(join(root, 'kernel'))]) {
    const text = readFileSync(file, 'utf8');
    for (const [pattern, type] of PATTERNS) {
      for (const m of text.matchAll(pattern)) found.set(type(m as RegExpExecArray), file.slice(root.length + 1));
    }
  }
  t.true(found.size >= 25, `the scan finds the recording sites (found ${found.size})`);
  for (const [type, file] of found) t.true(declared.has(type), `${type} (recorded in ${file}) is declared by no manifest's events`);
});

test('on the outbox: after driving the API, every recorded type is declared in a manifest', async (t) => {
  const { client, id } = await h.workspace();
  await h.inTx(id, seedDefaultPipeline, null);
  const receiver = await startReceiver();
  try {
    receiver.answer(() => ({ status: 410 }));
    const contact = (await client.post('/contacts', { name: 'Coverage', company_name: 'Coverage Co' })).body.data;
    const task = (await client.post('/tasks', { title: 'Cover', related_resource_type: 'contact', related_resource_id: contact.id })).body.data;
    await client.patch(`/tasks/${task.id}`, { status: 'completed' });
    await client.post('/activities', { type: 'note', summary: 'Covered' });
    const lead = (await client.post('/leads', { name: 'Lead Coverage', email: 'lead@coverage.example', company_name: 'Lead Co' })).body.data;
    await client.post(`/leads/${lead.id}/convert`, { create_deal: true, deal_name: 'Coverage deal' });
    const deal = (await client.post('/deals', { name: 'Moving' })).body.data;
    await client.patch(`/deals/${deal.id}`, { stage: 'qualified' });
    await client.post('/integrations/events', { key: 'coverage.checked', category: 'tests' });
    const endpoint = (await client.post('/webhooks', { name: 'Cover', url: receiver.url, event_types: ['*'] })).body.data;
    await client.patch(`/webhooks/${endpoint.id}`, { name: 'Covered' });
    await client.post(`/webhooks/${endpoint.id}/test`);
    const deadline = Date.now() + 120_000;
    // The 410 disables the endpoint (webhook.endpoint.disabled); the conversion may finish after its 202.
    while (Date.now() < deadline && (await h.sql(`select distinct type from outbox_events where workspace_id = ? and type in ('webhook.endpoint.disabled', 'lead.converted')`, [id])).length < 2) {
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally { await receiver.close(); }

  const mine = (await h.sql<{ type: string }>('select distinct type from outbox_events where workspace_id = ?', [id])).map((r) => r.type);
  for (const type of ['contact.created', 'company.created', 'task.created', 'task.completed', 'activity.created', 'lead.converted', 'deal.stage_changed',
    'integration_event_type.created', 'webhook.endpoint.created', 'webhook.endpoint.updated', 'webhook.endpoint.disabled']) {
    t.true(mine.includes(type), `driving the API recorded ${type}`);
  }
  // Every workspace's events so far, this file's and the other test files'.
  const everything = (await h.sql<{ type: string }>('select distinct type from outbox_events')).map((r) => r.type);
  for (const type of everything) t.true(declared.has(type), `${type} is in the outbox but no manifest declares it`);
});
