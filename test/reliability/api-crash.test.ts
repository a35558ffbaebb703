// The API SIGKILLed between its commit and the workflow start: a write's workflow command commits
// with its record, then the API's StartWorkflowExecution never reaches Temporal (its Temporal
// connection goes through a proxy that holds what it sends from then on), and the API dies there,
// holding the command's row lock. The client got no answer. The worker's relay starts the workflow
// from the committed command, once, and the effect happens once. The client's retry at another
// API process: a lead conversion (answered after the workflow) answers the converted lead; a
// scheduled CMS entry (201 stored with the write under its Idempotency-Key) replays that 201.
import test from 'ava';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { freePort } from '../../tools/devstack/processes.ts';
import { builtApiArgs } from '../../tools/build/api-bundle.ts';
import { WorkflowNotFoundError } from '@temporalio/client';
import { sql } from '../../platform/db.ts';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { apiClient } from '../helpers/client.ts';
import { tcpHoldProxy, type TcpHoldProxy } from '../helpers/tcp-hold-proxy.ts';
import { dbReader, pipelineWorkspace, waitUntil } from '../leads/helpers.ts';
import { conversionWorkflowId } from '../../modules/crm/leads/conversion/types.ts';
import { collection, cmsReader } from '../cms/helpers.ts';

const root = resolve(import.meta.dirname, '../..');
let h: Harness;
const proxies: TcpHoldProxy[] = [];
const apis: ChildProcess[] = [];

test.before(async () => { h = await bootHarness(); });
test.after.always(async () => {
  for (const api of apis) if (api.exitCode === null && api.signalCode === null) { api.kill('SIGKILL'); await once(api, 'exit'); }
  for (const proxy of proxies) await proxy.close();
  await h?.close();
});

/** The API as deployed (its bundle), a process of its own, reaching Temporal through a holding proxy of its own. */
async function doomedApi(token: string) {
  const proxy = await tcpHoldProxy(h.config.temporalAddress);
  proxies.push(proxy);
  const port = await freePort();
  const child = spawn(process.execPath, await builtApiArgs(root), {
    cwd: root, env: { ...process.env, TEMPORAL_ADDRESS: proxy.address, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: `http://127.0.0.1:${port}` },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  apis.push(child);
  const url = `http://127.0.0.1:${port}`;
  await waitUntil('the API to listen', async () => (await fetch(`${url}/healthz`).catch(() => null))?.ok, 240_000, 200);
  return {
    proxy, child, client: apiClient(url, token, h.built.contract),
    /** Waits until the API committed `resourceId`'s command and waits on Temporal holding its row lock. */
    async stuckAfterCommit(resourceId: string, workflowType: string): Promise<{ id: string; dispatched_at: Date | null; attempts: number }> {
      return waitUntil('the API to wait on Temporal after its commit', async () => {
        const [row] = await h.sql('select id, dispatched_at, attempts from workflow_commands where resource_id = ? and workflow_type = ?', [resourceId, workflowType]);
        if (!row || proxy.heldBytes() === 0) return null;
        const free = await h.deps.orm.em.fork().transactional((em) => sql<unknown[]>(em, 'select id from workflow_commands where id = ? for update skip locked', [row.id]));
        return free.length === 0 ? row : null;
      }, 60_000, 50);
    },
    async kill() { child.kill('SIGKILL'); await once(child, 'exit'); },
  };
}

/** The relay (in the test worker) starts the pending command once its grace period has passed. */
const relayed = (commandId: string) => waitUntil('the relay to start the command', async () => {
  const [row] = await h.sql('select dispatched_at, run_id, attempts from workflow_commands where id = ?', [commandId]);
  return row.dispatched_at ? row : null;
}, 120_000, 100);

const runsOf = async (workflowId: string) => {
  const runs: string[] = [];
  for await (const wf of h.deps.temporal.workflow.list({ query: `WorkflowId = "${workflowId}"` })) runs.push(wf.runId);
  return runs;
};

test.serial('lead conversion: the relay starts the conversion once and the client\'s retry answers it converted', async (t) => {
  const db = dbReader(h);
  const { id, client, token } = await pipelineWorkspace(h);
  const lead = (await client.post('/leads', { name: 'Half Committed', email: 'half@committed.example', company_name: 'Half Co' })).body.data;
  const api = await doomedApi(token);

  api.proxy.hold();
  const answer = api.client.post(`/leads/${lead.id}/convert`, { create_deal: true, deal_name: 'Half deal' }).then(() => 'answered', () => 'no answer');
  const command = await api.stuckAfterCommit(lead.id, 'convertLead');
  t.like(command, { dispatched_at: null, attempts: 0 });
  t.is((await db.lead(lead.id)).status, 'converting');
  const handle = h.deps.temporal.workflow.getHandle(conversionWorkflowId(lead.id));
  await t.throwsAsync(handle.describe(), { instanceOf: WorkflowNotFoundError }, 'not started yet');

  await api.kill();
  t.is(await answer, 'no answer', 'the client got no response');

  const dispatched = await relayed(command.id);
  t.is(dispatched.attempts, 1, 'started by one dispatch');
  const described = await handle.describe();
  t.is(described.memo?.command_id, command.id);
  t.is(described.runId, dispatched.run_id);
  await handle.result();

  // The client retries the request it got no answer to: the lead is converted, nothing starts again.
  const retry = await client.post(`/leads/${lead.id}/convert`, { create_deal: true, deal_name: 'Half deal' });
  t.is(retry.status, 200);
  t.deepEqual(retry.contractErrors, []);
  t.is(retry.body.data.status, 'converted');

  t.deepEqual(await db.counts(id), { contacts: 1, companies: 1, deals: 1 });
  const types = (await db.events(id)).map((e) => e.type);
  for (const type of ['company.created', 'contact.created', 'deal.created', 'lead.converted']) t.is(types.filter((e) => e === type).length, 1, type);
  t.deepEqual(await runsOf(conversionWorkflowId(lead.id)), [dispatched.run_id], 'one run');
});

test.serial('scheduled CMS entry: the relay starts the publishing run once; the retry under the same Idempotency-Key replays the 201', async (t) => {
  const { id, client, token } = await h.workspace();
  const col = await collection(client);
  const api = await doomedApi(token);
  const body = { collection_id: col.id, title: 'Half scheduled', status: 'review', fields: { slug: 'half-scheduled' }, publish_at: new Date(Date.now() + 20_000).toISOString() };
  const key = { headers: { 'Idempotency-Key': `half-${id}` } };

  api.proxy.hold();
  const answer = api.client.post('/cms/entries', body, key).then(() => 'answered', () => 'no answer');
  const [created] = await waitUntil('the entry to commit', async () => (await h.sql('select id from cms_entries where workspace_id = ?', [id])).length ? h.sql('select id from cms_entries where workspace_id = ?', [id]) : null, 60_000, 50);
  const command = await api.stuckAfterCommit(created.id, 'publishCmsEntry');
  await api.kill();
  t.is(await answer, 'no answer', 'the client got no response');

  const retry = await client.post('/cms/entries', body, key);
  t.is(retry.status, 201, 'the stored answer');
  t.is(retry.headers.get('idempotent-replayed'), 'true');
  t.deepEqual(retry.contractErrors, []);
  t.is(retry.body.data.id, created.id, 'the entry committed before the crash, not a second one');

  const dispatched = await relayed(command.id);
  t.is(dispatched.attempts, 1);
  const handle = h.deps.temporal.workflow.getHandle(`cms-publish-${created.id}`);
  t.is((await handle.describe()).memo?.command_id, command.id);
  await handle.result();
  t.is((await h.sql('select count(*)::int as n from cms_entries where workspace_id = ?', [id]))[0].n, 1);
  const events = await cmsReader(h).eventTypes(id, created.id);
  t.is(events.filter((e) => e === 'cms_entry.published').length, 1, events.join(', '));
  t.deepEqual(await runsOf(`cms-publish-${created.id}`), [dispatched.run_id], 'one run');
});
