// The API side of convertLead: the request's own rules, and starting (or joining) the workflow
// run under the lead's row lock so the lead reads `converting` from the moment the request is
// accepted, even before a worker picks the run up.
import { ruleViolation, validationFailed } from '../../platform/errors.ts';
import type { TenantContext } from '../context.ts';
import { isCurrency } from '../deals/money.ts';
import type { ConversionDealSpec } from './conversion-types.ts';
import type { Lead } from './entities.ts';
import { lockLead } from './service.ts';
import { assertConvertible, markConverting } from './conversion.ts';

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

export interface WorkflowRun { workflowId: string; runId: string }

/**
 * A converted lead is returned as it is (run null). A disqualified one is refused. Otherwise the
 * conversion workflow is started or joined, and the lead is marked `converting` for that run,
 * unless the run has already been at work on it (it owns the lead's state from its first step on,
 * including a restore after a failure that must not be overwritten here).
 */
export async function requestConversion(ctx: TenantContext, leadId: string, start: () => Promise<WorkflowRun>): Promise<{ lead: Lead; run: WorkflowRun | null }> {
  const lead = await lockLead(ctx, leadId);
  if (lead.status === 'converted') return { lead, run: null };
  assertConvertible(lead);
  const run = await start();
  if (lead.conversion_run_id !== run.runId) await markConverting(ctx, lead, run);
  return { lead, run };
}
