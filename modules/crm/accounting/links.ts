// The records an invoice links to must exist in the caller's workspace (else 404).
import { notFound } from '../../../platform/errors.ts';
import { sql } from '../../../platform/db.ts';
import type { TenantContext } from '../../../kernel/tenant.ts';
import { getCompany } from '../directory/companies.ts';
import { ContactSchema } from '../directory/entities.ts';

export interface InvoiceLinks { company_id?: string | null; contact_id?: string | null; deal_id?: string | null }

export async function assertLinksExist(ctx: TenantContext, links: InvoiceLinks): Promise<void> {
  if (links.company_id) await getCompany(ctx, links.company_id);
  if (links.contact_id) {
    const contact = await ctx.em.findOne(ContactSchema, { id: links.contact_id, workspace_id: ctx.workspaceId });
    if (!contact) throw notFound('contact', links.contact_id);
  }
  if (links.deal_id && !(await dealExists(ctx, links.deal_id))) throw notFound('deal', links.deal_id);
}

// Raw SQL on purpose: the deals module owns the deals table, and an invoice only needs to know
// that the id names a deal of this workspace.
async function dealExists(ctx: TenantContext, id: string): Promise<boolean> {
  const rows = await sql<{ id: string }[]>(ctx.em,
    'select id from deals where id = ? and workspace_id = ?', [id, ctx.workspaceId]);
  return rows.length > 0;
}
