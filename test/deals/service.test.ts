// The functions other modules call directly (lead conversion and its saga compensation).
import test from 'ava';
import type { TenantContext } from '../../kernel/tenant.ts';
import { createDeal, deleteDealForCompensation } from '../../modules/crm/deals/deals.ts';
import { serializeDeal } from '../../modules/crm/deals/serializers.ts';
import { firstOpenStage } from '../../modules/crm/deals/stages.ts';
import { ApiError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { CRM_IDS } from '../../modules/crm/ids.ts';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { events, pipelineWorkspace } from './helpers.ts';

let h: Harness;
test.before(async () => { h = await bootHarness(); });
test.after.always(async () => { await h?.close(); });

/** Runs domain code in one transaction, as an activity or a handler would. */
/** A lead row as lead conversion would have it (deals only point at leads). */
async function leadIn(workspaceId: string): Promise<string> {
  const id = newId(CRM_IDS.lead);
  await h.sql(
    `insert into leads (id, workspace_id, name, source, status) values (?, ?, 'Prospect', 'api', 'converting')`, [id, workspaceId]);
  return id;
}

const inTx = <T>(workspaceId: string, work: (ctx: TenantContext) => Promise<T>) => h.inTx(workspaceId, work, 'req_service_test');

test('firstOpenStage is the open stage with the lowest position, else a 422 rule violation', async (t) => {
  const empty = await h.workspace();
  const err = await t.throwsAsync(inTx(empty.id, firstOpenStage), { instanceOf: ApiError });
  t.is(err!.status, 422);
  t.is(err!.code, 'rule_violation');
  const ws = await pipelineWorkspace(h);
  t.is((await inTx(ws.id, firstOpenStage)).key, 'discovery');
  t.is((await inTx(empty.id, firstOpenStage).catch(() => null)), null, 'workspaces do not see each other\'s stages');
});

test('createDeal takes a lead_id from lead conversion, and serializeDeal matches the API', async (t) => {
  const ws = await pipelineWorkspace(h);
  const leadId = await leadIn(ws.id);
  const deal = await inTx(ws.id, (ctx) => createDeal(ctx, { name: 'From a lead', lead_id: leadId, stage: 'qualified', amount_cents: 1200, currency: 'EUR' }));
  t.is(deal.lead_id, leadId);
  const patched = await ws.client.patch(`/deals/${deal.id}`, { notes: 'touch' });
  const { notes, updated_at, ...api } = patched.body.data;
  const { notes: _n, updated_at: _u, ...direct } = serializeDeal(deal);
  t.deepEqual(api, direct);
  const err = await t.throwsAsync(inTx(ws.id, (ctx) => createDeal(ctx, { name: 'Bad', stage: 'nope' })), { instanceOf: ApiError });
  t.like(err!, { status: 422, code: 'rule_violation' });
  t.is((err as ApiError).details && (err as any).details.field, 'stage');
  const noCurrency = await t.throwsAsync(inTx(ws.id, (ctx) => createDeal(ctx, { name: 'Bad', amount_cents: 5 })), { instanceOf: ApiError });
  t.is((noCurrency as any).details.field, 'currency');
});

test('deleteDealForCompensation removes the deal, records deal.deleted, and is idempotent', async (t) => {
  const ws = await pipelineWorkspace(h);
  const other = await pipelineWorkspace(h);
  const leadId = await leadIn(ws.id);
  const deal = await inTx(ws.id, (ctx) => createDeal(ctx, { name: 'Compensated', lead_id: leadId }));
  const foreign = await inTx(other.id, (ctx) => createDeal(ctx, { name: 'Not theirs to delete' }));

  await inTx(ws.id, (ctx) => deleteDealForCompensation(ctx, foreign.id));
  t.is((await other.client.patch(`/deals/${foreign.id}`, { notes: 'still here' })).status, 200, 'another workspace\'s deal is untouched');

  await inTx(ws.id, (ctx) => deleteDealForCompensation(ctx, deal.id));
  t.is((await ws.client.patch(`/deals/${deal.id}`, { notes: 'gone?' })).status, 404);
  const deleted = await events(h, ws.id, 'deal.deleted');
  t.is(deleted.length, 1);
  t.like(deleted[0]!, { resource_type: 'deal', resource_id: deal.id, request_id: 'req_service_test' });
  t.is(deleted[0]!.payload.lead_id, leadId);

  await inTx(ws.id, (ctx) => deleteDealForCompensation(ctx, deal.id));
  t.is((await events(h, ws.id, 'deal.deleted')).length, 1, 'a repeated compensation records nothing more');
});
