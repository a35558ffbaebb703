// The API SIGKILLed between its commit and the workflow start: a lead conversion's command row
// commits with the lead marked converting, then the API's StartWorkflowExecution never reaches
// Temporal (its Temporal connection goes through a proxy that holds what it sends from then on),
// and the API dies there. The client got no answer. The worker's relay starts the conversion from
// the committed command, once; the client's retry of the request (at another API process)
// answers the converted lead; one contact, company and deal exist.
import test from 'ava';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { WorkflowNotFoundError } from '@temporalio/client';
import { sql } from '../../platform/db.ts';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { apiClient } from '../helpers/client.ts';
import { tcpHoldProxy, type TcpHoldProxy } from '../helpers/tcp-hold-proxy.ts';
import { dbReader, pipelineWorkspace, waitUntil } from '../leads/helpers.ts';
import { conversionWorkflowId } from '../../modules/crm/leads/conversion/types.ts';

const root = resolve(import.meta.dirname, '../..');
let h: Harness;
let proxy: TcpHoldProxy;
let api: ChildProcess | null = null;

const freePort = async () => {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  await new Promise((ok) => server.close(ok));
  return port;
};

test.before(async () => {
  h = await bootHarness();
  proxy = await tcpHoldProxy(h.config.temporalAddress);
});
test.after.always(async () => {
  if (api && api.exitCode === null && api.signalCode === null) { api.kill('SIGKILL'); await once(api, 'exit'); }
  await proxy?.close();
  await h?.close();
});

test('an API killed after its commit and before the workflow start: the relay starts the conversion once and a retry answers it', async (t) => {
  const db = dbReader(h);
  const { id, client, token } = await pipelineWorkspace(h);
  const lead = (await client.post('/leads', { name: 'Half Committed', email: 'half@committed.example', company_name: 'Half Co' })).body.data;

  // The API as its own process (bin/api.ts), reaching Temporal through the proxy.
  const port = await freePort();
  api = spawn(process.execPath, ['--import', 'tsx', resolve(root, 'bin/api.ts')], {
    cwd: root, env: { ...process.env, TEMPORAL_ADDRESS: proxy.address, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: `http://127.0.0.1:${port}` },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitUntil('the API to listen', async () => (await fetch(`${url}/healthz`).catch(() => null))?.ok, 240_000, 200);
  const doomed = apiClient(url, token, h.built.contract);

  proxy.hold();
  const answer = doomed.post(`/leads/${lead.id}/convert`, { create_deal: true, deal_name: 'Half deal' }).then(() => 'answered', () => 'no answer');
  // Stuck after the commit: the command row exists and the API's dispatch holds its lock while it
  // waits for Temporal (what it sent is held by the proxy).
  const command = await waitUntil('the API to wait on Temporal after its commit', async () => {
    const [row] = await h.sql('select id, dispatched_at, attempts from workflow_commands where resource_id = ? and workflow_type = ?', [lead.id, 'convertLead']);
    if (!row || proxy.heldBytes() === 0) return null;
    const free = await h.deps.orm.em.fork().transactional((em) => sql<unknown[]>(em, 'select id from workflow_commands where id = ? for update skip locked', [row.id]));
    return free.length === 0 ? row : null;
  }, 60_000, 50);
  t.like(command, { dispatched_at: null, attempts: 0 });
  t.is((await db.lead(lead.id)).status, 'converting');
  const handle = h.deps.temporal.workflow.getHandle(conversionWorkflowId(lead.id));
  await t.throwsAsync(handle.describe(), { instanceOf: WorkflowNotFoundError }, 'not started yet');

  api.kill('SIGKILL');
  await once(api, 'exit');
  t.is(await answer, 'no answer', 'the client got no response');

  // The relay (in the test worker) finds the pending command once its grace period has passed.
  const dispatched = await waitUntil('the relay to start the command', async () => {
    const [row] = await h.sql('select dispatched_at, run_id, attempts from workflow_commands where id = ?', [command.id]);
    return row.dispatched_at ? row : null;
  }, 120_000, 100);
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
  const runs: string[] = [];
  for await (const wf of h.deps.temporal.workflow.list({ query: `WorkflowId = "${conversionWorkflowId(lead.id)}"` })) runs.push(wf.runId);
  t.deepEqual(runs, [dispatched.run_id], 'one run');
});
