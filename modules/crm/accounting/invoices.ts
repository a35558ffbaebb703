import { newId } from '../../../platform/ids.ts';
import { CRM_IDS } from '../ids.ts';
import type { TenantContext } from '../../../kernel/tenant.ts';
import { recordCreated } from '../../../kernel/outbox.ts';
import { findPage, type PageRequest } from '../../../kernel/pagination.ts';
import { InvoiceLineItemSchema, InvoiceSchema, type InvoiceLineItem, type InvoiceStatus, type LineItemKind, type InvoiceView } from './entities.ts';
import { claimInvoiceNumber } from './invoice-numbers.ts';
import { assertLinksExist } from './links.ts';
import { checkedProduct, checkedSum, todayUtc } from './money.ts';
import { serializeInvoice } from './serializers.ts';

export interface NewLineItem { kind: LineItemKind; name: string; description?: string; quantity?: number; unit_amount_cents: number }

export interface NewInvoice {
  invoice_number?: string;
  currency?: string;
  status?: 'draft' | 'sent';
  company_id?: string;
  contact_id?: string;
  deal_id?: string;
  issue_date?: string;
  due_date?: string;
  notes?: string;
  line_items: NewLineItem[];
}

/** An invoice with its line items, in position order. */
export async function createInvoice(ctx: TenantContext, input: NewInvoice): Promise<InvoiceView> {
  // Amounts come from the line items only; the schema has no field for a client's totals.
  const priced = input.line_items.map((item, index) => {
    const quantity = item.quantity ?? 1;
    const amount = checkedProduct(`line_items.${index}`, quantity, item.unit_amount_cents, `Line item ${index} (quantity × unit_amount_cents)`);
    return { ...item, quantity, amount };
  });
  const subtotal = checkedSum('line_items', priced.map((p) => p.amount), 'The invoice subtotal');
  await assertLinksExist(ctx, input);
  const invoiceNumber = await claimInvoiceNumber(ctx, input.invoice_number);

  const now = new Date();
  const invoice = ctx.em.create(InvoiceSchema, {
    id: newId(CRM_IDS.invoice),
    workspace_id: ctx.workspaceId,
    invoice_number: invoiceNumber,
    status: (input.status ?? 'draft') as InvoiceStatus,
    currency: input.currency ?? 'USD',
    company_id: input.company_id ?? null,
    contact_id: input.contact_id ?? null,
    deal_id: input.deal_id ?? null,
    issue_date: input.issue_date ?? todayUtc(),
    due_date: input.due_date ?? null,
    subtotal_cents: subtotal,
    total_cents: subtotal,
    amount_paid_cents: 0,
    notes: input.notes ?? null,
    paid_at: null,
    created_at: now,
    updated_at: now,
  });
  // The invoice row goes in first: its line items reference it (em.create persists on creation,
  // so the line items are only created after this flush).
  await ctx.em.persist(invoice).flush();
  const lines = priced.map((p, position) => ctx.em.create(InvoiceLineItemSchema, {
    id: newId(CRM_IDS.invoiceLine),
    workspace_id: ctx.workspaceId,
    invoice_id: invoice.id,
    position,
    kind: p.kind,
    name: p.name,
    description: p.description ?? null,
    quantity: p.quantity,
    unit_amount_cents: p.unit_amount_cents,
    amount_cents: p.amount,
  }));
  ctx.em.persist(lines);
  const view = { invoice, lines };
  recordCreated(ctx, 'invoice', invoice.id, serializeInvoice(view));
  await ctx.em.flush();
  return view;
}

/** The line items of these invoices, grouped by invoice id, in position order. */
export async function loadLineItems(ctx: TenantContext, invoiceIds: string[]): Promise<Map<string, InvoiceLineItem[]>> {
  const byInvoice = new Map<string, InvoiceLineItem[]>(invoiceIds.map((id) => [id, []]));
  if (!invoiceIds.length) return byInvoice;
  const lines = await ctx.em.find(InvoiceLineItemSchema, { workspace_id: ctx.workspaceId, invoice_id: { $in: invoiceIds } },
    { orderBy: { invoice_id: 'asc', position: 'asc' } });
  for (const line of lines) byInvoice.get(line.invoice_id)!.push(line);
  return byInvoice;
}

export interface InvoiceFilters extends PageRequest { status?: InvoiceStatus; company_id?: string; contact_id?: string; deal_id?: string }

export async function listInvoices(ctx: TenantContext, filters: InvoiceFilters): Promise<{ items: InvoiceView[]; next_cursor: string | null }> {
  const where: Record<string, unknown> = {};
  for (const key of ['status', 'company_id', 'contact_id', 'deal_id'] as const) if (filters[key]) where[key] = filters[key];
  const page = await findPage(ctx, InvoiceSchema, 'invoices', where as never, filters);
  const lines = await loadLineItems(ctx, page.items.map((i) => i.id));
  return { items: page.items.map((invoice) => ({ invoice, lines: lines.get(invoice.id)! })), next_cursor: page.next_cursor };
}
