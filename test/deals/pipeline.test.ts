import test from 'ava';
import { createProvisionedWorkspace } from '../../bin/lib/operator.ts';
import { DEFAULT_PIPELINE, seedDefaultPipeline } from '../../modules/crm/deals/pipeline-defaults.ts';
import { createToken } from '../../kernel/tenancy/workspaces.ts';
import { SCOPES } from '../../kernel/tenancy/scopes.ts';
import { apiClient } from '../helpers/client.ts';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { events } from './helpers.ts';

let h: Harness;
test.before(async () => { h = await bootHarness(); });
test.after.always(async () => { await h?.close(); });

async function provisioned(enabled_modules?: string[]) {
  const ws = await createProvisionedWorkspace({ orm: h.deps.orm, temporal: h.deps.temporal, taskQueue: h.config.temporalTaskQueue },
    { name: 'Pipeline', enabled_modules, rate_limit_per_second: 100_000 });
  const token = await createToken(h.deps.orm.em.fork(), ws.id, SCOPES);
  return { id: ws.id, client: apiClient(h.url, token.token, h.built.contract) };
}

const stageRows = (workspaceId: string) => h.sql<any>(
  'select id, key, name, position, outcome, updated_at from deal_stages where workspace_id = ? order by position, id', [workspaceId]);

test('the provisioning workflow seeds the default pipeline, listed by the API in order', async (t) => {
  const { id, client } = await provisioned();
  const res = await client.get('/deal-stages');
  t.is(res.status, 200);
  t.deepEqual(res.contractErrors, []);
  t.deepEqual(res.body.data.map((s: any) => [s.key, s.name, s.position, s.outcome]), [
    ['discovery', 'Discovery', 10, 'open'],
    ['qualified', 'Qualified', 20, 'open'],
    ['proposal', 'Proposal', 30, 'open'],
    ['closed_won', 'Closed won', 40, 'won'],
    ['closed_lost', 'Closed lost', 50, 'lost'],
  ]);
  const seeded = await events(h, id, 'deal_stage.created');
  t.deepEqual(seeded.map((e) => e.payload.key), DEFAULT_PIPELINE.map((s) => s.key), 'each seeded stage is announced');
  t.true(seeded.every((e) => e.request_id === null));

  const deal = await client.post('/deals', { name: 'First deal' });
  t.is(deal.status, 201, 'a provisioned workspace can take deals at once');
  t.is(deal.body.data.stage, 'discovery');
});

test('running the seeder again changes nothing', async (t) => {
  const { id } = await provisioned();
  const before = await stageRows(id);
  const eventsBefore = await events(h, id);
  await h.inTx(id, seedDefaultPipeline, null);
  await h.inTx(id, seedDefaultPipeline, null);
  t.deepEqual(await stageRows(id), before);
  t.deepEqual(await events(h, id), eventsBefore);
});

test('the seeder leaves a stage the workspace already has under a default key and adds the rest', async (t) => {
  const ws = await h.workspace();
  const own = await ws.client.post('/deal-stages', { key: 'proposal', name: 'Our proposal', position: 7 });
  await h.inTx(ws.id, seedDefaultPipeline, null);
  const listed = (await ws.client.get('/deal-stages')).body.data;
  t.deepEqual(listed.map((s: any) => s.key), ['proposal', 'discovery', 'qualified', 'closed_won', 'closed_lost']);
  t.deepEqual(listed[0], own.body.data);
});

test('a workspace without the crm module gets no pipeline', async (t) => {
  const { id } = await provisioned(['tasks']);
  t.deepEqual(await stageRows(id), []);
});
