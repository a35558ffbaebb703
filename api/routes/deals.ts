import { createDeal, serializeDeal, updateDeal } from '../../domain/deals/deals.ts';
import { createDealStage, listDealStages, serializeDealStage } from '../../domain/deals/stages.ts';
import { respond, respondWithWrite } from '../write.ts';
import type { HandlerMap } from './types.ts';

export const dealHandlers: HandlerMap = {
  listDealStages: async (ctx) => {
    const page = await listDealStages(ctx.state.tenant!, ctx.state.input!.query);
    respond(ctx, page.items.map(serializeDealStage), { next_cursor: page.next_cursor });
  },
  createDealStage: (ctx) =>
    respondWithWrite(ctx, 201, async (tenant) => serializeDealStage(await createDealStage(tenant, ctx.state.input!.body))),
  createDeal: (ctx) =>
    respondWithWrite(ctx, 201, async (tenant) => serializeDeal(await createDeal(tenant, ctx.state.input!.body))),
  updateDeal: (ctx) =>
    respondWithWrite(ctx, 200, async (tenant) =>
      serializeDeal(await updateDeal(tenant, ctx.state.input!.path.deal_id, ctx.state.input!.body))),
};
