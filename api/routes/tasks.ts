import { createTask, listTasks, serializeTask, updateTask } from '../../domain/tasks/service.ts';
import { respond, respondWithWrite } from '../write.ts';
import type { HandlerMap } from './types.ts';

export const taskHandlers: HandlerMap = {
  listTasks: async (ctx) => {
    const page = await listTasks(ctx.state.tenant!, ctx.state.input!.query);
    respond(ctx, page.items.map(serializeTask), { next_cursor: page.next_cursor });
  },
  createTask: (ctx) =>
    respondWithWrite(ctx, 201, async (tenant) => serializeTask(await createTask(tenant, ctx.state.input!.body))),
  updateTask: (ctx) =>
    respondWithWrite(ctx, 200, async (tenant) =>
      serializeTask(await updateTask(tenant, ctx.state.input!.path.task_id, ctx.state.input!.body))),
};
