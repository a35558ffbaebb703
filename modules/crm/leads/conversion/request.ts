// Asking for a lead's conversion: the request's own rules, then, under the lead's row lock, the
// lead marked `converting` together with the workflow command that will convert it (one commit),
// so the lead reads `converting` from the moment the request is accepted. The answer is 200 when
// the workflow finishes within the wait bound, else 202 with the lead still converting.
import { ruleViolation, validationFailed } from '../../../../platform/errors.ts';
import { sql } from '../../../../platform/db.ts';
import { withEm, type TenantContext } from '../../../../kernel/tenant.ts';
import { enqueueWorkflow, newWorkflowCommandId } from '../../../../kernel/workflow-commands/enqueue.ts';
import type { WorkflowRunner } from '../../../../kernel/workflow-commands/runner.ts';
import type { RetryRun } from '../../../manifest.ts';
import { isCurrency } from '../../deals/money.ts';
import type { Lead } from '../entities.ts';
import { getLead, lockLead } from '../leads.ts';
import { assertConvertible, markConverting } from './steps.ts';
import {
  CONVERSION_FAILED, conversionWorkflowId,
  type ConversionDealSpec, type ConversionFailureDetails, type ConvertLeadInput, type ConvertLeadResult,
} from './types.ts';
import { inTransaction } from '../../../../platform/transaction.ts';

export interface ConvertLeadBody {
  create_deal?: boolean;
  deal_name?: string;
  deal_stage?: string;
  deal_amount_cents?: number;
  deal_currency?: string;
}

const DEAL_FIELDS = ['deal_name', 'deal_stage', 'deal_amount_cents', 'deal_currency'] as const;

/** The deal to create, or null; deal_* fields without create_deal: true are refused. */
export function conversionDealSpec(body: ConvertLeadBody): ConversionDealSpec | null {
  if (!body.create_deal) {
    const given = DEAL_FIELDS.filter((f) => body[f] !== undefined);
    if (given.length) throw ruleViolation(given[0]!, `${given.join(', ')} describe the deal to create: send them with create_deal: true.`, { fields: given });
    return null;
  }
  if (body.deal_currency !== undefined && !isCurrency(body.deal_currency)) {
    throw validationFailed([{ field: 'deal_currency', problem: `"${body.deal_currency}" is not an ISO 4217 currency code` }]);
  }
  const spec: ConversionDealSpec = {};
  if (body.deal_name !== undefined) spec.name = body.deal_name;
  if (body.deal_stage !== undefined) spec.stage = body.deal_stage;
  if (body.deal_amount_cents !== undefined) spec.amount_cents = body.deal_amount_cents;
  if (body.deal_currency !== undefined) spec.currency = body.deal_currency;
  return spec;
}

/**
 * The command that converts (or goes on converting) the lead, or null when it is converted. A
 * lead already converting gets a command that resumes that conversion with its own input: it
 * joins the run at work, or takes over from one that is gone (an operator terminated it).
 */
export async function requestConversion(ctx: TenantContext, leadId: string, deal: ConversionDealSpec | null): Promise<{ lead: Lead; commandId: string | null }> {
  const lead = await lockLead(ctx, leadId);
  if (lead.status === 'converted') return { lead, commandId: null };
  assertConvertible(lead);
  const workflowId = conversionWorkflowId(lead.id);
  if (lead.status === 'converting' && lead.conversion_command_id) {
    const [original] = await sql<{ args: unknown[] }[]>(ctx.em, 'select args from workflow_commands where id = ? and workspace_id = ?',
      [lead.conversion_command_id, ctx.workspaceId]);
    if (original) {
      const commandId = enqueueWorkflow(ctx, { workflowType: 'convertLead', workflowId, resourceId: lead.id, args: original.args, reuse: 'allow_duplicate', dedupKey: lead.conversion_command_id });
      await ctx.em.flush();
      return { lead, commandId };
    }
  }
  const commandId = newWorkflowCommandId();
  const input: ConvertLeadInput = { workspaceId: ctx.workspaceId, leadId: lead.id, requestId: ctx.requestId, deal, commandId };
  // A failed conversion may be asked for again: a new run of the same workflow id.
  enqueueWorkflow(ctx, { id: commandId, workflowType: 'convertLead', workflowId, resourceId: lead.id, args: [input], reuse: 'allow_duplicate' });
  await markConverting(ctx, lead, { workflowId, commandId });
  return { lead, commandId };
}

/** A run that already gave the lead back is only finishing its failure: worth waiting for. */
const FINISHING_RUN_WAIT_MS = 10_000;

export interface ConversionAnswer { status: 200 | 202; lead: Lead }

/**
 * Converts the lead: 200 with the converted lead when the workflow ends within waitMs, 202 with
 * the lead `converting` when it is still at work (or Temporal could not be reached: the relay
 * starts it), 422 naming the reason when a business rule stopped it.
 */
export async function convertLead(ctx: TenantContext, workflows: WorkflowRunner, leadId: string, body: ConvertLeadBody, waitMs: number): Promise<ConversionAnswer> {
  const deal = conversionDealSpec(body);
  const { lead, commandId } = await inTransaction(ctx.em, (tx) => requestConversion(withEm(ctx, tx), leadId, deal));
  if (!commandId) return { status: 200, lead };
  const current = () => getLead(withEm(ctx, ctx.em.fork()), leadId);
  const runId = (await workflows.dispatch([commandId]).catch(() => new Map<string, string>())).get(commandId);
  if (!runId) return { status: 202, lead: await current() };

  const run = { workflowId: conversionWorkflowId(leadId), runId };
  let outcome = await workflows.awaitOutcome<ConvertLeadResult>(run, waitMs);
  if (outcome.state === 'running' && !['converting', 'converted'].includes((await current()).status)) {
    outcome = await workflows.awaitOutcome<ConvertLeadResult>(run, FINISHING_RUN_WAIT_MS);
  }
  if (outcome.state === 'failed') {
    const failure = outcome.failure.type === CONVERSION_FAILED ? outcome.failure.details[0] as ConversionFailureDetails : null;
    // Terminated or cancelled by an operator: the lead stays converting; a retry takes over.
    if (!failure) return { status: 202, lead: await current() };
    if (!failure.business) throw new Error(`Lead conversion ${run.workflowId} failed: ${failure.message}`);
    throw ruleViolation(failure.field, `Lead ${leadId} was not converted (${failure.reason}): ${failure.message}`, { reason: failure.reason, workflow_id: run.workflowId });
  }
  const latest = await current();
  return { status: latest.status === 'converted' ? 200 : 202, lead: latest };
}

/**
 * An operator's retry of a failed conversion (`slab5 workflow retry lead-convert-<lead_id>`): the
 * same path as a client's request, with the deal the last attempt asked for.
 */
export async function retryConversion(ctx: TenantContext, workflows: WorkflowRunner, run: RetryRun): Promise<{ workflowId: string; runId: string | null }> {
  const leadId = run.resourceId;
  const [last] = await sql<{ args: ConvertLeadInput[] }[]>(ctx.em,
    `select args from workflow_commands where workspace_id = ? and workflow_id = ? and workflow_type = 'convertLead' order by created_at desc limit 1`,
    [ctx.workspaceId, conversionWorkflowId(leadId)]);
  const deal = last?.args[0]?.deal ?? null;
  const { lead, commandId } = await inTransaction(ctx.em, (tx) => requestConversion(withEm(ctx, tx), leadId, deal));
  if (!commandId) throw ruleViolation('lead_id', `Lead ${lead.id} is converted already: there is nothing to retry.`);
  const runId = (await workflows.dispatch([commandId])).get(commandId) ?? null;
  return { workflowId: conversionWorkflowId(leadId), runId };
}
