import test from 'ava';
import { loadConfig } from '../../platform/config.ts';
import { createDeps } from '../../app/deps.ts';
import { createProvisionedWorkspace } from '../../bin/lib/operator.ts';
import { getWorkspaceById } from '../../kernel/tenancy/workspaces.ts';
import { provisionWorkflowId } from '../../modules/workspace/provisioning/start.ts';
import { rootCauseMessage } from '../../platform/temporal.ts';
import { sql } from '../../platform/db.ts';
import { WORKSPACE_ID } from '../../platform/search-attributes.ts';

const config = loadConfig(process.env, { root: '/nonexistent' });
let deps: Awaited<ReturnType<typeof createDeps>>;
test.before(async () => { deps = await createDeps(config); });
test.after.always(async () => { await deps?.close(); });

test('creating a workspace runs provisionWorkspace on the real Temporal server and activates it', async (t) => {
  const ws = await createProvisionedWorkspace({ orm: deps.orm, temporal: deps.temporal, taskQueue: config.temporalTaskQueue }, { name: 'Provisioned' });
  const row = await getWorkspaceById(deps.orm.em.fork(), ws.id);
  t.is(row!.status, 'active');
  t.truthy(row!.provisioned_at);

  const handle = deps.temporal.workflow.getHandle(provisionWorkflowId(ws.id));
  const description = await handle.describe();
  t.is(description.status.name, 'COMPLETED');
  t.is(description.type, 'provisionWorkspace');
  t.is(description.typedSearchAttributes.get(WORKSPACE_ID), ws.id);
});

test('the provisioning workflow is found by its WorkspaceId search attribute', async (t) => {
  const ws = await createProvisionedWorkspace({ orm: deps.orm, temporal: deps.temporal, taskQueue: config.temporalTaskQueue }, { name: 'Searchable' });
  // Visibility is eventually consistent: poll briefly.
  let found: string[] = [];
  for (let i = 0; i < 40 && !found.length; i++) {
    found = [];
    for await (const wf of deps.temporal.workflow.list({ query: `WorkspaceId = "${ws.id}"` })) found.push(wf.workflowId);
    if (!found.length) await new Promise((r) => setTimeout(r, 250));
  }
  t.deepEqual(found, [provisionWorkflowId(ws.id)]);
});

test('a provisioning command dispatched again (a crash before it was marked) finds its run instead of starting another', async (t) => {
  const ws = await createProvisionedWorkspace({ orm: deps.orm, temporal: deps.temporal, taskQueue: config.temporalTaskQueue }, { name: 'Twice' });
  const first = await deps.temporal.workflow.getHandle(provisionWorkflowId(ws.id)).describe();
  const em = deps.orm.em.fork();
  const [command] = await sql<{ id: string; run_id: string }[]>(em, 'select id, run_id from workflow_commands where workspace_id = ?', [ws.id]);
  t.is(command!.run_id, first.runId);
  // As if the process that started it died before recording that: the relay starts it again.
  await sql(em, 'update workflow_commands set dispatched_at = null, run_id = null, next_attempt_at = now() where id = ?', [command!.id]);
  t.deepEqual([...(await deps.workflows.dispatch([command!.id]))], [[command!.id, first.runId]]);
  t.deepEqual([...(await deps.workflows.dispatch([command!.id]))], [[command!.id, first.runId]], 'a dispatched command answers its run');
  const runs: string[] = [];
  for await (const wf of deps.temporal.workflow.list({ query: `WorkflowId = "${provisionWorkflowId(ws.id)}"` })) runs.push(wf.runId);
  t.deepEqual(runs, [first.runId], 'no second run');
});

test('provisioning a workspace that does not exist fails clearly, without retrying forever', async (t) => {
  const err = await t.throwsAsync(deps.temporal.workflow.execute('provisionWorkspace', {
    taskQueue: config.temporalTaskQueue, workflowId: provisionWorkflowId('wrk_does_not_exist'), args: [{ workspaceId: 'wrk_does_not_exist' }],
  }));
  t.regex(rootCauseMessage(err), /No workspace with id wrk_does_not_exist/);
});
