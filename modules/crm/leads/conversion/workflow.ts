// Converts a lead into a company, a contact and optionally a deal (a saga). Each step is an
// idempotent activity that records its result on the lead, so a worker killed mid-conversion
// resumes without duplicates. When a step fails, the done steps are undone in reverse (removing
// only what this run created), the lead gets its previous status back, and the workflow fails
// with a LeadConversionFailed failure naming the reason.
import { ActivityFailure, ApplicationFailure, CancellationScope, proxyActivities, log } from '@temporalio/workflow';
import type { ConversionActivities } from './activities.ts';
import {
  CONVERSION_FAILED,
  type ConversionFailureDetails,
  type ConvertLeadInput,
  type ConvertLeadResult,
} from './types.ts';

const steps = proxyActivities<ConversionActivities>({
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 10 },
});

// Compensation must finish, whatever it takes: it retries until the database answers.
const undo = proxyActivities<ConversionActivities>({
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export async function convertLead(input: ConvertLeadInput): Promise<ConvertLeadResult> {
  const compensations: (() => Promise<unknown>)[] = [];
  try {
    const begun = await steps.beginLeadConversion(input);
    if (begun.alreadyConverted) return await steps.completeLeadConversion(input);
    // Only what this run created is undone; a found record was only linked. (A failed step
    // committed nothing: its transaction rolled back, and a committed step's retry succeeds.)
    const company = await steps.ensureConversionCompany(input);
    if (company.created) compensations.unshift(() => undo.undoConversionCompany(input));
    const contact = await steps.ensureConversionContact(input);
    if (contact.created) compensations.unshift(() => undo.undoConversionContact(input));
    if (input.deal) {
      const deal = await steps.ensureConversionDeal(input);
      if (deal.created) compensations.unshift(() => undo.undoConversionDeal(input));
    }
    return await steps.completeLeadConversion(input);
  } catch (err) {
    const failure = describeFailure(err);
    log.warn('lead conversion failed; compensating', { leadId: input.leadId, ...failure });
    // Even a cancelled conversion leaves the lead as it was.
    await CancellationScope.nonCancellable(async () => {
      for (const compensate of compensations) await compensate();
      await undo.restoreConvertingLead(input);
    });
    throw ApplicationFailure.create({
      type: CONVERSION_FAILED,
      message: `Lead ${input.leadId} was not converted: ${failure.message}`,
      nonRetryable: true,
      details: [failure],
    });
  }
}

/** A non-retryable step failure is a business reason; anything else outlasted its retries. */
function describeFailure(err: unknown): ConversionFailureDetails {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure && cause.nonRetryable) {
    const details = (cause.details?.[0] ?? {}) as { field?: string | null };
    return { reason: cause.type ?? 'ConversionRule', field: details.field ?? 'lead_id', message: cause.message, business: true };
  }
  const message = cause instanceof Error ? cause.message : String(cause);
  return { reason: 'ConversionError', field: 'lead_id', message, business: false };
}
