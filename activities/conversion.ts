// The convertLead workflow's activities: each runs one conversion step (domain/leads) in one
// transaction, as the workspace and the API request that asked for the conversion. A business
// rule that stops a step (a 4xx ApiError) becomes a non-retryable ApplicationFailure whose type
// names the reason; anything else is retried by Temporal.
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import { ApiError } from '../platform/errors.ts';
import type { TenantContext } from '../domain/context.ts';
import { beginConversion, completeConversion, ensureCompany, ensureContact, ensureDeal } from '../domain/leads/conversion.ts';
import { restoreLead, undoCreated } from '../domain/leads/compensation.ts';
import type { ConversionRun, ConvertLeadInput } from '../domain/leads/conversion-types.ts';

export function createConversionActivities(deps: { orm: MikroORM }) {
  const step = async <T>(input: ConvertLeadInput, work: (ctx: TenantContext, run: ConversionRun) => Promise<T>): Promise<T> => {
    const execution = Context.current().info.workflowExecution;
    if (!execution) throw ApplicationFailure.nonRetryable('Conversion steps run only inside the convertLead workflow.', 'NotInWorkflow');
    const run = { leadId: input.leadId, workflowId: execution.workflowId, runId: execution.runId };
    try {
      return await deps.orm.em.fork().transactional((em) =>
        work({ em, workspaceId: input.workspaceId, requestId: input.requestId, cursorSecret: '' }, run));
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

/** Client errors are business outcomes (final); server errors and the rest are worth a retry. */
function asActivityFailure(err: unknown): unknown {
  if (!(err instanceof ApiError) || err.status >= 500) return err;
  const details = (err.details && !Array.isArray(err.details) ? err.details : {}) as Record<string, unknown>;
  const type = typeof details.reason === 'string' ? details.reason : pascalCase(err.code);
  return ApplicationFailure.nonRetryable(err.message, type, { code: err.code, field: details.field ?? null });
}

const pascalCase = (code: string) => code.replace(/(^|_)([a-z])/g, (_, __, c: string) => c.toUpperCase());
