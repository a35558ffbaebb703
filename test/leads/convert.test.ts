// convertLead on the real Temporal dev server, run by the test worker bin/test starts.
import test, { type ExecutionContext } from 'ava';
import { WorkflowNotFoundError } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { apiClient } from '../helpers/client.ts';
import { conversionWorkflowId } from '../../modules/crm/leads/conversion/types.ts';
import { RESOURCE_ID, WORKSPACE_ID } from '../../platform/search-attributes.ts';
import { dbReader, listWorkflowIds, pipelineWorkspace } from './helpers.ts';

let h: Harness;
let db: ReturnType<typeof dbReader>;
test.before(async () => { h = await bootHarness(); db = dbReader(h); });
test.after.always(async () => { await h?.close(); });

/** Runs of the workflow id (at least one is expected: visibility is polled until it shows). */
const runsOf = (workflowId: string, atLeast = 1) => listWorkflowIds(h.deps.temporal, `WorkflowId = "${workflowId}"`, 15_000, atLeast);
const neverStarted = async (t: ExecutionContext, workflowId: string) => {
  await t.throwsAsync(h.deps.temporal.workflow.getHandle(workflowId).describe(), { instanceOf: WorkflowNotFoundError });
};

test('converting a lead creates and links company, contact and deal, with their events and an activity', async (t) => {
  const { client, id } = await pipelineWorkspace(h);
  const lead = (await client.post('/leads', {
    name: 'Priya Shah', email: 'priya@northstar.studio', phone: '+44 1', title: 'Founder',
    company_name: 'Northstar Studio', company_domain: 'northstar.studio', status: 'qualified',
  })).body.data;
  const res = await client.post(`/leads/${lead.id}/convert`, { create_deal: true, deal_name: 'Website redesign', deal_amount_cents: 125000, deal_currency: 'EUR' });
  t.is(res.status, 200);
  t.deepEqual(res.contractErrors, []);
  const converted = res.body.data;
  t.like(converted, { id: lead.id, status: 'converted', conversion_workflow_id: `lead-convert-${lead.id}` });
  t.regex(converted.contact_id, /^con_/);
  t.regex(converted.company_id, /^com_/);
  t.regex(converted.deal_id, /^deal_/);
  t.truthy(converted.converted_at);

  const [company] = await db.sql('select * from companies where id = ?', [converted.company_id]);
  t.like(company, { workspace_id: id, name: 'Northstar Studio', domain: 'northstar.studio' });
  const [contact] = await db.sql('select * from contacts where id = ?', [converted.contact_id]);
  t.like(contact, { name: 'Priya Shah', email: 'priya@northstar.studio', phone: '+44 1', title: 'Founder', company_id: company.id });
  const [deal] = await db.sql('select * from deals where id = ?', [converted.deal_id]);
  t.like(deal, { name: 'Website redesign', stage: 'discovery', status: 'open', currency: 'EUR', company_id: company.id, contact_id: contact.id, lead_id: lead.id });
  t.is(Number(deal.amount_cents), 125000);

  const events = await db.events(id);
  t.deepEqual(events.map((e) => e.type), ['lead.created', 'company.created', 'contact.created', 'deal.created', 'activity.created', 'lead.converted']);
  const convertedEvent = events.at(-1)!;
  t.is(convertedEvent.resource_id, lead.id);
  t.like(convertedEvent.payload, { status: 'converted', contact_id: contact.id, company_id: company.id, deal_id: deal.id });
  t.true(events.slice(1).every((e) => e.request_id === res.body.request_id), 'the conversion events carry the request id');

  const activities = await db.sql('select * from activities where workspace_id = ?', [id]);
  t.is(activities.length, 1);
  t.like(activities[0], { related_resource_type: 'lead', related_resource_id: lead.id, actor_type: 'system', actor_id: null });

  const listed = (await client.get('/leads?status=converted')).body.data;
  t.deepEqual(listed.map((l: any) => l.id), [lead.id]);

  const description = await h.deps.temporal.workflow.getHandle(conversionWorkflowId(lead.id)).describe();
  t.is(description.type, 'convertLead');
  t.is(description.status.name, 'COMPLETED');
  t.is(description.typedSearchAttributes.get(WORKSPACE_ID), id);
  t.is(description.typedSearchAttributes.get(RESOURCE_ID), lead.id);
  t.is(description.memo?.request_id, res.body.request_id);
});

test('the conversion is found in Temporal by its WorkspaceId and ResourceId search attributes', async (t) => {
  const { client, id } = await pipelineWorkspace(h);
  const lead = (await client.post('/leads', { name: 'Searchable', email: 'search@able.example' })).body.data;
  t.is((await client.post(`/leads/${lead.id}/convert`, {})).status, 200);
  t.deepEqual(await listWorkflowIds(h.deps.temporal, `WorkspaceId = "${id}" AND ResourceId = "${lead.id}"`), [`lead-convert-${lead.id}`]);
  t.deepEqual(await listWorkflowIds(h.deps.temporal, `WorkspaceId = "${id}" AND ResourceId = "lead_other"`, 1_000), []);
});

test('existing records are found, not duplicated: company by domain, contact by email (any case)', async (t) => {
  const { client, id } = await pipelineWorkspace(h);
  const company = (await client.post('/companies', { name: 'Acme Corporation', domain: 'acme.example' })).body.data;
  const contact = (await client.post('/contacts', { name: 'Wile E.', email: 'Wile@Acme.example' })).body.data;
  const lead = (await client.post('/leads', { name: 'Wile Coyote', email: 'wile@acme.EXAMPLE', company_name: 'Acme', company_domain: 'ACME.example' })).body.data;
  const res = await client.post(`/leads/${lead.id}/convert`, {});
  t.is(res.status, 200);
  t.deepEqual(res.contractErrors, []);
  t.like(res.body.data, { company_id: company.id, contact_id: contact.id, deal_id: null, status: 'converted' });
  t.deepEqual(await db.counts(id), { contacts: 1, companies: 1, deals: 0 });
  t.deepEqual((await db.events(id)).map((e) => e.type).filter((type) => !type.startsWith('lead.') && type !== 'activity.created'),
    ['company.created', 'contact.created'], 'only the records created beforehand; the conversion created none');

  const byName = (await client.post('/companies', { name: 'Globex' })).body.data;
  const second = (await client.post('/leads', { name: 'Hank', company_name: 'globex' })).body.data;
  const linked = await client.post(`/leads/${second.id}/convert`, {});
  t.is(linked.body.data.company_id, byName.id, 'a lead without a domain finds the company by name');
});

test('the deal starts in the first open stage unless deal_stage names one', async (t) => {
  const { client } = await pipelineWorkspace(h);
  const a = (await client.post('/leads', { name: 'A' })).body.data;
  const b = (await client.post('/leads', { name: 'B', company_name: 'B Corp' })).body.data;
  const first = await client.post(`/leads/${a.id}/convert`, { create_deal: true });
  const second = await client.post(`/leads/${b.id}/convert`, { create_deal: true, deal_stage: 'proposal' });
  t.is(first.status, 200);
  t.is(second.status, 200);
  const [dealA] = await db.sql('select name, stage, company_id from deals where id = ?', [first.body.data.deal_id]);
  const [dealB] = await db.sql('select name, stage from deals where id = ?', [second.body.data.deal_id]);
  t.deepEqual(dealA, { name: 'A', stage: 'discovery', company_id: null }, 'a lead without a company converts to a contact and a deal only');
  t.deepEqual(dealB, { name: 'B Corp', stage: 'proposal' });
  t.is(first.body.data.company_id, null);
});

test('a retried request returns the same result and creates nothing more', async (t) => {
  const { client, id } = await pipelineWorkspace(h);
  const lead = (await client.post('/leads', { name: 'Retry', email: 'retry@example.com', company_name: 'Retry Ltd' })).body.data;
  const headers = { 'Idempotency-Key': `convert-${lead.id}` };
  const first = await client.post(`/leads/${lead.id}/convert`, { create_deal: true }, { headers });
  t.is(first.status, 200);
  const replay = await client.post(`/leads/${lead.id}/convert`, { create_deal: true }, { headers });
  t.is(replay.status, 200);
  t.is(replay.headers.get('idempotent-replayed'), 'true');
  t.deepEqual(replay.body.data, first.body.data);
  t.deepEqual(replay.contractErrors, []);
  // Without the key: the lead is converted, so the same converted lead comes back.
  const again = await client.post(`/leads/${lead.id}/convert`, { create_deal: true });
  t.is(again.status, 200);
  t.deepEqual(again.body.data, first.body.data);
  t.deepEqual(await db.counts(id), { contacts: 1, companies: 1, deals: 1 });
  t.is((await runsOf(conversionWorkflowId(lead.id))).length, 1, 'no second workflow run');
});

test('concurrent conversions of one lead join one workflow run and create one of each', async (t) => {
  const { client, id } = await pipelineWorkspace(h);
  const lead = (await client.post('/leads', { name: 'Racer', email: 'racer@example.com', company_name: 'Race Co', company_domain: 'race.example' })).body.data;
  const results = await Promise.all(Array.from({ length: 6 }, () => client.post(`/leads/${lead.id}/convert`, { create_deal: true })));
  t.deepEqual(results.map((r) => r.status), [200, 200, 200, 200, 200, 200]);
  t.true(results.every((r) => r.contractErrors.length === 0));
  t.is(new Set(results.map((r) => JSON.stringify([r.body.data.contact_id, r.body.data.company_id, r.body.data.deal_id]))).size, 1);
  t.deepEqual(await db.counts(id), { contacts: 1, companies: 1, deals: 1 });
  t.is((await db.events(id)).filter((e) => e.type === 'lead.converted').length, 1);
  t.is((await runsOf(conversionWorkflowId(lead.id))).length, 1);
});

test('converting a converted lead answers the same lead and starts nothing', async (t) => {
  const { client, id } = await pipelineWorkspace(h);
  const lead = (await client.post('/leads', { name: 'Twice', email: 'twice@example.com' })).body.data;
  const first = await client.post(`/leads/${lead.id}/convert`, {});
  const eventsBefore = await db.events(id);
  const second = await client.post(`/leads/${lead.id}/convert`, { create_deal: true, deal_name: 'Ignored' });
  t.is(second.status, 200);
  t.deepEqual(second.contractErrors, []);
  t.deepEqual(second.body.data, first.body.data);
  t.deepEqual(await db.events(id), eventsBefore);
  t.deepEqual(await db.counts(id), { contacts: 1, companies: 0, deals: 0 });
  t.is((await runsOf(conversionWorkflowId(lead.id))).length, 1);
});

test('a disqualified lead answers 422 and nothing is created', async (t) => {
  const { client, id } = await pipelineWorkspace(h);
  const lead = (await client.post('/leads', { name: 'Nope', email: 'nope@example.com', company_name: 'Nope Inc', status: 'disqualified' })).body.data;
  const res = await client.post(`/leads/${lead.id}/convert`, { create_deal: true });
  t.is(res.status, 422);
  t.deepEqual(res.contractErrors, []);
  t.is(res.body.error.code, 'rule_violation');
  t.is(res.body.error.details.field, 'status');
  t.regex(res.body.error.message, /disqualified/);
  t.deepEqual(await db.counts(id), { contacts: 0, companies: 0, deals: 0 });
  t.like(await db.lead(lead.id), { status: 'disqualified', conversion_workflow_id: null });
  await neverStarted(t, conversionWorkflowId(lead.id));
});

test('request errors: unknown or foreign lead 404, deal fields without create_deal 422, bad currency 422', async (t) => {
  const { client } = await pipelineWorkspace(h);
  const other = await pipelineWorkspace(h);
  const foreign = (await other.client.post('/leads', { name: 'Theirs' })).body.data;
  for (const leadId of ['lead_missing', foreign.id]) {
    const res = await client.post(`/leads/${leadId}/convert`, {});
    t.is(res.status, 404);
    t.is(res.body.error.code, 'not_found');
    t.deepEqual(res.contractErrors, []);
  }
  const lead = (await client.post('/leads', { name: 'Mine' })).body.data;
  const dealFields = await client.post(`/leads/${lead.id}/convert`, { deal_name: 'X', deal_stage: 'proposal' });
  t.is(dealFields.status, 422);
  t.is(dealFields.body.error.code, 'rule_violation');
  t.is(dealFields.body.error.details.field, 'deal_name');
  t.deepEqual(dealFields.contractErrors, []);
  const noCurrency = await client.post(`/leads/${lead.id}/convert`, { create_deal: true, deal_amount_cents: 100 });
  t.is(noCurrency.status, 422);
  t.deepEqual(noCurrency.contractErrors, []);
  const badCurrency = await client.post(`/leads/${lead.id}/convert`, { create_deal: true, deal_amount_cents: 100, deal_currency: 'ABC' });
  t.is(badCurrency.status, 422);
  t.is(badCurrency.body.error.details.fields[0].field, 'deal_currency');
  t.like(await db.lead(lead.id), { status: 'new', conversion_workflow_id: null });
  await neverStarted(t, conversionWorkflowId(lead.id));
});

test('a business failure after company and contact were created compensates them and restores the lead', async (t) => {
  const { client, id } = await pipelineWorkspace(h);
  const lead = (await client.post('/leads', {
    name: 'Saga Sam', email: 'sam@saga.example', company_name: 'Saga Ltd', company_domain: 'saga.example', status: 'working',
  })).body.data;
  const res = await client.post(`/leads/${lead.id}/convert`, { create_deal: true, deal_stage: 'no_such_stage' });
  t.is(res.status, 422);
  t.deepEqual(res.contractErrors, []);
  t.is(res.body.error.code, 'rule_violation');
  t.like(res.body.error.details, { field: 'deal_stage', reason: 'UnknownDealStage', workflow_id: `lead-convert-${lead.id}` });
  t.regex(res.body.error.message, /UnknownDealStage/);
  t.regex(res.body.error.message, /no_such_stage/);

  t.deepEqual(await db.counts(id), { contacts: 0, companies: 0, deals: 0 });
  const events = await db.events(id);
  t.deepEqual(events.map((e) => e.type), ['lead.created', 'company.created', 'contact.created', 'contact.deleted', 'company.deleted']);
  t.is(events[3]!.resource_id, events[2]!.resource_id);
  t.is(events[4]!.resource_id, events[1]!.resource_id);
  t.like(await db.lead(lead.id), {
    status: 'working', contact_id: null, company_id: null, deal_id: null, converted_at: null, conversion_workflow_id: null,
    status_before_conversion: null, created_company_id: null, created_contact_id: null,
  });
  const listed = (await client.get('/leads')).body.data[0];
  t.like(listed, { id: lead.id, status: 'working', conversion_workflow_id: null });
  const description = await h.deps.temporal.workflow.getHandle(conversionWorkflowId(lead.id)).describe();
  t.is(description.status.name, 'FAILED');

  // The same lead converts once the request is fixed: a failed run does not block a new one.
  const fixed = await client.post(`/leads/${lead.id}/convert`, { create_deal: true, deal_stage: 'qualified' });
  t.is(fixed.status, 200);
  t.is(fixed.body.data.status, 'converted');
  t.deepEqual(await db.counts(id), { contacts: 1, companies: 1, deals: 1 });
});

test('compensation removes only what the conversion created; found records stay', async (t) => {
  const { client, id } = await pipelineWorkspace(h);
  const company = (await client.post('/companies', { name: 'Keep Me', domain: 'keep.example' })).body.data;
  const lead = (await client.post('/leads', { name: 'Kim', email: 'kim@keep.example', company_domain: 'keep.example' })).body.data;
  const res = await client.post(`/leads/${lead.id}/convert`, { create_deal: true, deal_stage: 'missing' });
  t.is(res.status, 422);
  t.is(res.body.error.details.reason, 'UnknownDealStage');
  t.deepEqual(await db.counts(id), { contacts: 0, companies: 1, deals: 0 });
  t.is((await db.sql('select id from companies where workspace_id = ?', [id]))[0].id, company.id);
  t.deepEqual((await db.events(id)).map((e) => e.type), ['company.created', 'lead.created', 'contact.created', 'contact.deleted']);
  t.like(await db.lead(lead.id), { status: 'new', company_id: null, contact_id: null });
});

test('with CONVERT_WAIT_MS=0 the conversion answers 202 with the lead converting, and finishes in the background', async (t) => {
  const quick = await bootHarness({ CONVERT_WAIT_MS: '0' });
  t.teardown(() => quick.close());
  const ws = await pipelineWorkspace(quick);
  const lead = (await ws.client.post('/leads', { name: 'Later', email: 'later@example.com', company_name: 'Later Inc' })).body.data;
  const headers = { 'Idempotency-Key': `later-${lead.id}` };
  const res = await ws.client.post(`/leads/${lead.id}/convert`, { create_deal: true }, { headers });
  t.is(res.status, 202);
  t.deepEqual(res.contractErrors, []);
  t.like(res.body.data, { id: lead.id, status: 'converting', conversion_workflow_id: `lead-convert-${lead.id}` });

  const result = await quick.deps.temporal.workflow.getHandle(res.body.data.conversion_workflow_id).result();
  t.like(result, { lead_id: lead.id });
  // A 202 is not stored for the key: the same retry now sees the finished conversion.
  const retried = await ws.client.post(`/leads/${lead.id}/convert`, { create_deal: true }, { headers });
  t.is(retried.status, 200);
  t.is(retried.headers.get('idempotent-replayed'), null);
  t.is(retried.body.data.status, 'converted');
  const listed = (await ws.client.get('/leads')).body.data[0];
  t.like(listed, { id: lead.id, status: 'converted', contact_id: result.contact_id, company_id: result.company_id, deal_id: result.deal_id });
  t.deepEqual(await db.counts(ws.id), { contacts: 1, companies: 1, deals: 1 });
});

test('past the wait bound with no worker the lead is already converting; a terminated run is taken over by the next request', async (t) => {
  // A task queue nobody polls: the run cannot progress, so the handler answers past its bound.
  const stalled = await bootHarness({ TEMPORAL_TASK_QUEUE: `slab5-test-idle-${randomUUID()}`, CONVERT_WAIT_MS: '300' });
  t.teardown(() => stalled.close());
  const ws = await pipelineWorkspace(stalled);
  const lead = (await ws.client.post('/leads', { name: 'Stuck', email: 'stuck@example.com', status: 'working' })).body.data;
  const res = await ws.client.post(`/leads/${lead.id}/convert`, {});
  t.is(res.status, 202);
  t.deepEqual(res.contractErrors, []);
  t.like(res.body.data, { status: 'converting', conversion_workflow_id: `lead-convert-${lead.id}` });
  t.like(await db.lead(lead.id), { status: 'converting', status_before_conversion: 'working' });

  // An operator terminates the stuck run; the lead stays converting until a request resumes it.
  await h.deps.temporal.workflow.getHandle(`lead-convert-${lead.id}`).terminate('test: no worker on this queue');
  const resumed = await apiClient(h.url, ws.token, h.built.contract).post(`/leads/${lead.id}/convert`, {});
  t.is(resumed.status, 200);
  t.like(resumed.body.data, { status: 'converted' });
  t.deepEqual(await db.counts(ws.id), { contacts: 1, companies: 0, deals: 0 });
  t.is((await runsOf(conversionWorkflowId(lead.id), 2)).length, 2, 'the terminated run and the one that took over');
});
