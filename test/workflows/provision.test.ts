import test from 'ava';
import { loadConfig } from '../../platform/config.ts';
import { createDeps } from '../../platform/deps.ts';
import { createProvisionedWorkspace } from '../../bin/lib/operator.ts';
import { getWorkspaceById } from '../../domain/workspace/service.ts';
import { workflowIds } from '../../workflows/ids.ts';
import { provisionWorkspace, rootCauseMessage } from '../../workflows/start.ts';
import { WORKSPACE_ID } from '../../workflows/search-attributes.ts';

const config = loadConfig(process.env, { root: '/nonexistent' });
let deps: Awaited<ReturnType<typeof createDeps>>;
test.before(async () => { deps = await createDeps(config); });
test.after.always(async () => { await deps?.close(); });

test('creating a workspace runs provisionWorkspace on the real Temporal server and activates it', async (t) => {
  const ws = await createProvisionedWorkspace({ orm: deps.orm, temporal: deps.temporal, taskQueue: config.temporalTaskQueue }, { name: 'Provisioned' });
  const row = await getWorkspaceById(deps.orm.em.fork(), ws.id);
  t.is(row!.status, 'active');
  t.truthy(row!.provisioned_at);

  const handle = deps.temporal.workflow.getHandle(workflowIds.provisionWorkspace(ws.id));
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
  t.deepEqual(found, [workflowIds.provisionWorkspace(ws.id)]);
});

test('provisioning again finds the finished workflow instead of starting another', async (t) => {
  const ws = await createProvisionedWorkspace({ orm: deps.orm, temporal: deps.temporal, taskQueue: config.temporalTaskQueue }, { name: 'Twice' });
  const first = await deps.temporal.workflow.getHandle(workflowIds.provisionWorkspace(ws.id)).describe();
  const again = await provisionWorkspace(deps.temporal, config.temporalTaskQueue, ws.id);
  t.is(again.workspaceId, ws.id);
  const runs: string[] = [];
  for await (const wf of deps.temporal.workflow.list({ query: `WorkflowId = "${workflowIds.provisionWorkspace(ws.id)}"` })) runs.push(wf.runId);
  t.true(runs.length <= 1 || runs.every((r) => r === first.runId), 'no second run');
});

test('provisioning a workspace that does not exist fails clearly, without retrying forever', async (t) => {
  const err = await t.throwsAsync(provisionWorkspace(deps.temporal, config.temporalTaskQueue, 'wrk_does_not_exist'));
  t.regex(rootCauseMessage(err), /No workspace with id wrk_does_not_exist/);
});
