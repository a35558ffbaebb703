// The convertLead workflow's activities: each runs one conversion step (steps.ts, compensation.ts) in one
// transaction, as the workspace and the API request that asked for the conversion. A business
// rule that stops a step (a 4xx ApiError) becomes a non-retryable ApplicationFailure whose type
// names the reason; anything else is retried by Temporal.
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { asActivityFailure } from '../../../../kernel/activity-failure.ts';
import { systemTenant, type TenantContext } from '../../../../kernel/tenant.ts';
import type { ActivityDeps } from '../../../manifest.ts';
import { beginConversion, completeConversion, ensureCompany, ensureContact, ensureDeal } from './steps.ts';
import { restoreLead, undoCreated } from './compensation.ts';
import type { ConversionRun, ConvertLeadInput } from './types.ts';
import { inTransaction } from '../../../../platform/transaction.ts';

export function createConversionActivities(deps: ActivityDeps) {
  const step = async <T>(input: ConvertLeadInput, work: (ctx: TenantContext, run: ConversionRun) => Promise<T>): Promise<T> => {
    const execution = Context.current().info.workflowExecution;
    if (!execution) throw ApplicationFailure.nonRetryable('Conversion steps run only inside the convertLead workflow.', 'NotInWorkflow');
    const run = { leadId: input.leadId, workflowId: execution.workflowId, runId: execution.runId, commandId: input.commandId };
    try {
      return await inTransaction(deps.orm.em.fork(), (em) =>
        work(systemTenant(em, input.workspaceId, deps.resources, input.requestId), run));
    } catch (err) {
      throw asActivityFailure(err);
    }
  };

  return {
    beginLeadConversion: (input: ConvertLeadInput) => step(input, beginConversion),
    ensureConversionCompany: (input: ConvertLeadInput) => step(input, ensureCompany),
    ensureConversionContact: (input: ConvertLeadInput) => step(input, ensureContact),
    ensureConversionDeal: (input: ConvertLeadInput) => step(input, (ctx, run) => ensureDeal(ctx, run, input.deal ?? {})),
    completeLeadConversion: (input: ConvertLeadInput) => step(input, completeConversion),
    undoConversionDeal: (input: ConvertLeadInput) => step(input, (ctx, run) => undoCreated(ctx, run, 'deal')),
    undoConversionContact: (input: ConvertLeadInput) => step(input, (ctx, run) => undoCreated(ctx, run, 'contact')),
    undoConversionCompany: (input: ConvertLeadInput) => step(input, (ctx, run) => undoCreated(ctx, run, 'company')),
    restoreConvertingLead: async (input: ConvertLeadInput): Promise<void> => { await step(input, restoreLead); },
  };
}

export type ConversionActivities = ReturnType<typeof createConversionActivities>;
