// Shared by the support tests: a workspace whose CRM can hold deals (the default pipeline), one
// record of each kind a ticket links to, and readers of what a write left behind.
import type { Harness } from '../helpers/harness.ts';
import type { ApiClient } from '../helpers/client.ts';
import { seedDefaultPipeline } from '../../modules/crm/deals/pipeline-defaults.ts';

export async function supportWorkspace(h: Harness, opts: Parameters<Harness['workspace']>[0] = {}) {
  const ws = await h.workspace(opts);
  await h.inTx(ws.id, seedDefaultPipeline, null);
  return ws;
}

/** A contact, company, deal, lead and invoice of the client's workspace, keyed by the ticket's link field. */
export async function crmLinks(client: ApiClient) {
  const id = async (path: string, body: unknown) => {
    const res = await client.post(path, body);
    if (res.status !== 201) throw new Error(`${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body.data.id as string;
  };
  const company_id = await id('/companies', { name: `Acme ${Math.random()}` });
  const contact_id = await id('/contacts', { name: 'Jane Doe', company_id });
  return {
    contact_id,
    company_id,
    deal_id: await id('/deals', { name: 'Renewal', company_id }),
    lead_id: await id('/leads', { name: 'Wile Coyote' }),
    invoice_id: await id('/invoices', { company_id, line_items: [{ kind: 'service', name: 'Support plan', unit_amount_cents: 1000 }] }),
  };
}

export interface EventRow { type: string; resource_type: string; resource_id: string; request_id: string | null; payload: any }

export const events = (h: Harness, workspaceId: string, type?: string) => h.sql<EventRow>(
  `select type, resource_type, resource_id, request_id, payload from outbox_events where workspace_id = ? ${type ? 'and type = ?' : ''} order by id`,
  type ? [workspaceId, type] : [workspaceId]);

/** The ticket's activity-log timeline, as a client reads it (oldest first). */
export async function timeline(client: ApiClient, ticketId: string): Promise<any[]> {
  const res = await client.get(`/activities?related_resource_type=support_ticket&related_resource_id=${ticketId}&limit=100`);
  if (res.status !== 200) throw new Error(`listActivities answered ${res.status}`);
  return [...res.body.data].reverse();
}

export const queue = async (client: ApiClient, key: string, targets: { first_response_target_minutes?: number; resolution_target_minutes?: number } = {}) =>
  (await client.post('/support/queues', { key, name: `Queue ${key}`, ...targets })).body.data;

export const ticket = async (client: ApiClient, body: Record<string, unknown> = {}) => {
  const res = await client.post('/support/tickets', { subject: 'Customer cannot download invoice', ...body });
  if (res.status !== 201) throw new Error(`createSupportTicket answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.data;
};

export const MINUTE = 60_000;
export const plus = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();
