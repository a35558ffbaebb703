// The conversion steps and their compensation, called directly (each in its own transaction, as
// the activities run them) to reach cases the API cannot provoke on demand: a created deal to
// undo, a created company that something else came to reference, a run that lost the lead.
import test from 'ava';
import type { TenantContext } from '../../kernel/tenant.ts';
import { createContact } from '../../modules/crm/directory/contacts.ts';
import { createLead, lockLead } from '../../modules/crm/leads/leads.ts';
import { beginConversion, ensureCompany, ensureContact, ensureDeal, markConverting } from '../../modules/crm/leads/conversion/steps.ts';
import { restoreLead, undoCreated } from '../../modules/crm/leads/conversion/compensation.ts';
import type { ConversionRun } from '../../modules/crm/leads/conversion/types.ts';
import { ApiError } from '../../platform/errors.ts';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { dbReader, pipelineWorkspace } from './helpers.ts';

let h: Harness;
let db: ReturnType<typeof dbReader>;
test.before(async () => { h = await bootHarness(); db = dbReader(h); });
test.after.always(async () => { await h?.close(); });

const inTx = <T>(workspaceId: string, work: (ctx: TenantContext) => Promise<T>) => h.inTx(workspaceId, work, 'req_compensation_test');

async function convertingLead(workspaceId: string, runId: string) {
  const lead = await inTx(workspaceId, (ctx) => createLead(ctx, {
    name: 'Dana Undo', email: 'dana@undo.example', company_name: 'Undo GmbH', company_domain: 'undo.example', status: 'qualified',
  }));
  const run: ConversionRun = { leadId: lead.id, workflowId: `lead-convert-${lead.id}`, runId, commandId: `cmd_for_${runId}` };
  // What the API does when it accepts the conversion, then the run's first step.
  await inTx(workspaceId, async (ctx) => markConverting(ctx, await lockLead(ctx, lead.id), run));
  await inTx(workspaceId, (ctx) => beginConversion(ctx, run));
  return run;
}

test('every created record, the deal included, is removed in reverse with its deleted event; the lead is restored', async (t) => {
  const { id } = await pipelineWorkspace(h);
  const run = await convertingLead(id, 'run-1');
  const company = await inTx(id, (ctx) => ensureCompany(ctx, run));
  const contact = await inTx(id, (ctx) => ensureContact(ctx, run));
  const deal = await inTx(id, (ctx) => ensureDeal(ctx, run, { name: 'Undo deal' }));
  t.true(company.created && contact.created && deal.created);
  t.deepEqual(await inTx(id, (ctx) => ensureDeal(ctx, run, { name: 'Undo deal' })), deal, 'a retried step returns its record');
  t.deepEqual(await db.counts(id), { contacts: 1, companies: 1, deals: 1 });

  t.deepEqual(await inTx(id, (ctx) => undoCreated(ctx, run, 'deal')), { removed: deal.id, kept: null });
  t.deepEqual(await inTx(id, (ctx) => undoCreated(ctx, run, 'contact')), { removed: contact.id, kept: null });
  t.deepEqual(await inTx(id, (ctx) => undoCreated(ctx, run, 'company')), { removed: company.id, kept: null });
  t.deepEqual(await inTx(id, (ctx) => undoCreated(ctx, run, 'company')), { removed: null, kept: null }, 'undoing twice is harmless');
  await inTx(id, (ctx) => restoreLead(ctx, run));

  t.deepEqual(await db.counts(id), { contacts: 0, companies: 0, deals: 0 });
  const events = (await db.events(id)).map((e) => [e.type, e.resource_id]);
  t.deepEqual(events.slice(-3), [['deal.deleted', deal.id], ['contact.deleted', contact.id], ['company.deleted', company.id]]);
  t.like(await db.lead(run.leadId), {
    status: 'qualified', company_id: null, contact_id: null, deal_id: null, conversion_workflow_id: null,
    status_before_conversion: null, created_company_id: null, created_contact_id: null, created_deal_id: null,
  });
});

test('a created company that another record came to reference is kept, and the lead still lets go of it', async (t) => {
  const { id } = await pipelineWorkspace(h);
  const run = await convertingLead(id, 'run-1');
  const company = await inTx(id, (ctx) => ensureCompany(ctx, run));
  const bystander = await inTx(id, (ctx) => createContact(ctx, { name: 'Bystander', company_id: company.id! }));

  t.deepEqual(await inTx(id, (ctx) => undoCreated(ctx, run, 'company')), { removed: null, kept: company.id });
  await inTx(id, (ctx) => restoreLead(ctx, run));
  t.deepEqual(await db.counts(id), { contacts: 1, companies: 1, deals: 0 });
  t.is((await db.sql('select company_id from contacts where id = ?', [bystander.id]))[0].company_id, company.id);
  t.false((await db.events(id)).some((e) => e.type === 'company.deleted'));
  t.like(await db.lead(run.leadId), { status: 'qualified', company_id: null, created_company_id: null });
});

test('only the run that owns the conversion may change the lead', async (t) => {
  const { id } = await pipelineWorkspace(h);
  const run = await convertingLead(id, 'run-1');
  const company = await inTx(id, (ctx) => ensureCompany(ctx, run));
  const stranger: ConversionRun = { ...run, runId: 'run-other' };
  const err = await t.throwsAsync(inTx(id, (ctx) => ensureContact(ctx, stranger)), { instanceOf: ApiError });
  t.is((err!.details as Record<string, unknown>).reason, 'ConversionSuperseded');
  t.deepEqual(await inTx(id, (ctx) => undoCreated(ctx, stranger, 'company')), { removed: null, kept: null });
  t.is(await inTx(id, (ctx) => restoreLead(ctx, stranger)), null);
  t.like(await db.lead(run.leadId), { status: 'converting', company_id: company.id, conversion_run_id: 'run-1' });
  t.deepEqual(await db.counts(id), { contacts: 0, companies: 1, deals: 0 });
});

test('a run of another command is stale: its first step stops it and leaves the lead as it is', async (t) => {
  const { id } = await pipelineWorkspace(h);
  const run = await convertingLead(id, 'run-1');
  const stale: ConversionRun = { ...run, runId: 'run-stale', commandId: 'cmd_stale' };
  const err = await t.throwsAsync(inTx(id, (ctx) => beginConversion(ctx, stale)), { instanceOf: ApiError });
  t.is((err!.details as Record<string, unknown>).reason, 'ConversionSuperseded');
  t.like(await db.lead(run.leadId), { status: 'converting', conversion_run_id: 'run-1', conversion_command_id: run.commandId });
  // A later run of the lead's own command takes over from one that is gone.
  await inTx(id, (ctx) => beginConversion(ctx, { ...run, runId: 'run-2' }));
  t.like(await db.lead(run.leadId), { status: 'converting', conversion_run_id: 'run-2' });
});
