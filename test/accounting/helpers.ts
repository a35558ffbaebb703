// Shared setup for the accounting tests: raw SQL for assertions and a few records to link to.
import type { ApiClient } from '../helpers/client.ts';
import type { Harness } from '../helpers/harness.ts';

export const sql = <T = any>(h: Harness, query: string, params: unknown[] = []) =>
  h.sql<T>(query, params);

export const eventTypes = async (h: Harness, workspaceId: string, resourceId?: string) =>
  (await h.events(workspaceId, { resourceId })).map((r) => r.type);

/** Every page of a list, following next_cursor, asserting each page conforms to the contract. */
export async function allPages(client: ApiClient, path: string, limit: number, check: (res: any) => void): Promise<any[]> {
  const rows: any[] = [];
  let cursor: string | null = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const res: any = await client.get(`${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    check(res);
    rows.push(...res.body.data);
    cursor = res.body.next_cursor;
  } while (cursor);
  return rows;
}

export const line = (unit: number, extra: Record<string, unknown> = {}) => ({ kind: 'service', name: 'Work', unit_amount_cents: unit, ...extra });

/** A sent invoice of this total (one line), ready to take payments. */
export async function sentInvoice(client: ApiClient, total: number) {
  const res = await client.post('/invoices', { status: 'sent', line_items: [line(total)] });
  if (res.status !== 201) throw new Error(`invoice setup failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data;
}

/** A deal in this workspace (test workspaces are not provisioned, so it makes its own open stage first). */
export async function makeDeal(client: ApiClient, name: string) {
  const stage = await client.post('/deal-stages', { key: 'invoicing_test', name: 'Invoicing test', outcome: 'open' });
  if (stage.status !== 201 && stage.status !== 409) throw new Error(`stage setup failed: ${stage.status} ${JSON.stringify(stage.body)}`);
  const res = await client.post('/deals', { name, stage: 'invoicing_test' });
  if (res.status !== 201) throw new Error(`deal setup failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data;
}
