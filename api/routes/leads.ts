import { withEm } from '../../domain/context.ts';
import { createLead, getLead, listLeads, serializeLead } from '../../domain/leads/service.ts';
import { conversionDealSpec, requestConversion } from '../../domain/leads/conversion-request.ts';
import { ruleViolation } from '../../platform/errors.ts';
import { awaitConvertLead, startConvertLead, type ConversionOutcome } from '../../workflows/start.ts';
import { respond, respondWithWrite } from '../write.ts';
import type { HandlerMap } from './types.ts';

/** A run that already gave the lead back is only finishing its failure: worth waiting for. */
const FINISHING_RUN_WAIT_MS = 10_000;

export const leadHandlers: HandlerMap = {
  listLeads: async (ctx) => {
    const page = await listLeads(ctx.state.tenant!, ctx.state.input!.query);
    respond(ctx, page.items.map(serializeLead), { next_cursor: page.next_cursor });
  },
  createLead: (ctx) =>
    respondWithWrite(ctx, 201, async (tenant) => serializeLead(await createLead(tenant, ctx.state.input!.body))),

  // 200 with the converted lead when the workflow ends within the bound, else 202 with the lead
  // `converting` and its workflow id; a business failure answers 422 naming its reason.
  convertLead: async (ctx, deps) => {
    const tenant = ctx.state.tenant!;
    const leadId: string = ctx.state.input!.path.lead_id;
    const deal = conversionDealSpec(ctx.state.input!.body ?? {});
    const { lead, run } = await ctx.state.em.transactional((tx) => requestConversion(withEm(tenant, tx), leadId, () =>
      startConvertLead(deps.temporal, deps.config.temporalTaskQueue, { workspaceId: tenant.workspaceId, leadId, requestId: ctx.state.requestId, deal })));
    if (!run) return respond(ctx, serializeLead(lead));

    const current = () => getLead(withEm(tenant, ctx.state.em.fork()), leadId);
    let outcome: ConversionOutcome = await awaitConvertLead(deps.temporal, run, deps.config.convertWaitMs);
    if (outcome.state === 'running' && !['converting', 'converted'].includes((await current()).status)) {
      outcome = await awaitConvertLead(deps.temporal, run, FINISHING_RUN_WAIT_MS);
    }
    if (outcome.state === 'failed') {
      const { failure } = outcome;
      if (!failure.business) throw new Error(`Lead conversion ${run.workflowId} failed: ${failure.message}`);
      throw ruleViolation(failure.field, `Lead ${leadId} was not converted (${failure.reason}): ${failure.message}`, { reason: failure.reason, workflow_id: run.workflowId });
    }
    const latest = await current();
    ctx.status = latest.status === 'converted' ? 200 : 202;
    ctx.body = { data: serializeLead(latest), request_id: ctx.state.requestId };
  },
};
