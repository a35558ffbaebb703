import { createContact, listContacts, serializeContact } from '../../domain/crm/contacts.ts';
import { respond, respondWithWrite } from '../write.ts';
import type { HandlerMap } from './types.ts';

export const contactHandlers: HandlerMap = {
  listContacts: async (ctx) => {
    const page = await listContacts(ctx.state.tenant!, ctx.state.input!.query);
    respond(ctx, page.items.map(serializeContact), { next_cursor: page.next_cursor });
  },
  createContact: (ctx) =>
    respondWithWrite(ctx, 201, async (tenant) => serializeContact(await createContact(tenant, ctx.state.input!.body))),
};
