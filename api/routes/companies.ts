import { createCompany, listCompanies, serializeCompany } from '../../domain/crm/companies.ts';
import { respond, respondWithWrite } from '../write.ts';
import type { HandlerMap } from './types.ts';

export const companyHandlers: HandlerMap = {
  listCompanies: async (ctx) => {
    const page = await listCompanies(ctx.state.tenant!, ctx.state.input!.query);
    respond(ctx, page.items.map(serializeCompany), { next_cursor: page.next_cursor });
  },
  createCompany: (ctx) =>
    respondWithWrite(ctx, 201, async (tenant) => serializeCompany(await createCompany(tenant, ctx.state.input!.body))),
};
