// The operator's commands over long-running work: a workspace's workflows by status, one with its
// failure and Temporal UI link, and a retry through the product's own path.
import test from 'ava';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { pipelineWorkspace } from '../helpers/fixtures.ts';

const run = promisify(execFile);
const cli = fileURLToPath(new URL('../../bin/slab5.js', import.meta.url));
const slab5 = async (...args: string[]) =>
  JSON.parse((await run(process.execPath, [cli, ...args, '--json'], { env: { ...process.env, TEMPORAL_UI_URL: 'http://127.0.0.1:8233' } })).stdout);

let h: Harness;
test.before(async () => { h = await bootHarness(); });
test.after.always(async () => { await h?.close(); });

test('a failed conversion is listed, shown with its reason and UI link, and retried through the product', async (t) => {
  const ws = await pipelineWorkspace(h);
  const lead = (await ws.client.post('/leads', { name: 'Ops Lead', email: 'ops@lead.example' })).body.data;
  const failed = await ws.client.post(`/leads/${lead.id}/convert`, { create_deal: true, deal_stage: 'negotiation' });
  t.is(failed.status, 422);
  const workflowId = `lead-convert-${lead.id}`;

  // Visibility is eventually consistent.
  let listed: any[] = [];
  for (let i = 0; i < 40 && !listed.length; i++) {
    listed = await slab5('workflows', '--workspace', ws.id, '--status', 'failed');
    if (!listed.length) await new Promise((r) => setTimeout(r, 250));
  }
  t.deepEqual(listed.map((w) => [w.workflow_id, w.type, w.status]), [[workflowId, 'convertLead', 'failed']]);

  const shown = await slab5('workflow', 'show', workflowId);
  t.like(shown, { status: 'failed', workspace_id: ws.id, resource_id: lead.id });
  t.regex(shown.failure, /negotiation/);
  t.is(shown.ui_url, `http://127.0.0.1:8233/namespaces/default/workflows/${workflowId}/${shown.run_id}/history`);
  t.regex(shown.retry, /converts the lead again/);

  // The operator fixes the cause, then retries: the same path a client's request takes.
  t.is((await ws.client.post('/deal-stages', { key: 'negotiation', name: 'Negotiation', position: 35 })).status, 201);
  const retried = await slab5('workflow', 'retry', workflowId);
  t.is(retried.workflowId, workflowId);
  t.truthy(retried.runId);
  t.not(retried.runId, shown.run_id);
  const result = await h.deps.temporal.workflow.getHandle(workflowId, retried.runId).result() as { deal_id: string };
  t.is((await h.sql('select stage from deals where id = ?', [result.deal_id]))[0].stage, 'negotiation', 'the retry kept the deal the request asked for');
  t.is((await h.sql('select status from leads where id = ?', [lead.id]))[0].status, 'converted');

  const again = await t.throwsAsync(run(process.execPath, [cli, 'workflow', 'retry', workflowId], { env: process.env }));
  t.regex(String((again as any).stderr), /completed: only a failed/);
});

test('a bad workspace id or status is refused with the reason', async (t) => {
  const err = await t.throwsAsync(run(process.execPath, [cli, 'workflows', '--workspace', 'nope'], { env: process.env }));
  t.regex(String((err as any).stderr), /not a workspace id/);
  const bad = await t.throwsAsync(run(process.execPath, [cli, 'workflows', '--workspace', 'wrk_abc', '--status', 'weird'], { env: process.env }));
  t.regex(String((bad as any).stderr), /--status must be one of/);
});
