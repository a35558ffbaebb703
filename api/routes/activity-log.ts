import { createActivity, listActivities, serializeActivity } from '../../domain/activities/service.ts';
import { respond, respondWithWrite } from '../write.ts';
import type { HandlerMap } from './types.ts';

export const activityHandlers: HandlerMap = {
  listActivities: async (ctx) => {
    const page = await listActivities(ctx.state.tenant!, ctx.state.input!.query);
    respond(ctx, page.items.map(serializeActivity), { next_cursor: page.next_cursor });
  },
  createActivity: (ctx) =>
    respondWithWrite(ctx, 201, async (tenant) =>
      serializeActivity(await createActivity(tenant, ctx.state.token!.id, ctx.state.input!.body))),
};
