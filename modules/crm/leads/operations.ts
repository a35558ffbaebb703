import { list, respond, write, type OperationHandlers } from '../../../api/operations.ts';
import { createLead, listLeads } from './leads.ts';
import { convertLead } from './conversion/request.ts';
import { serializeLead } from './serializers.ts';

export const leadOperations = {
  listLeads: list(({ tenant, query }) => listLeads(tenant, query), serializeLead),
  createLead: write(201, ({ tenant, body }) => createLead(tenant, body), serializeLead),
  convertLead: async ({ tenant, deps, path, body }) => {
    const { status, lead } = await convertLead(tenant, deps.workflows, path.lead_id, body, deps.config.convertWaitMs);
    return respond<'convertLead', typeof status>(status, serializeLead(lead));
  },
} satisfies OperationHandlers;
