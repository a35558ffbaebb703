import { LockMode } from '@mikro-orm/postgresql';
import { newId } from '../../../platform/ids.ts';
import { CRM_IDS } from '../ids.ts';
import { notFound, ruleViolation } from '../../../platform/errors.ts';
import type { TenantContext } from '../../../kernel/tenant.ts';
import { recordEvent } from '../../../kernel/outbox.ts';
import { InvoiceSchema, PaymentSchema, type Invoice, type Payment, type PaymentMethod } from './entities.ts';
import { loadLineItems } from './invoices.ts';
import { serializeInvoice, serializePayment } from './serializers.ts';

export interface NewPayment {
  invoice_id: string;
  amount_cents: number;
  method?: PaymentMethod;
  paid_at?: string;
  reference?: string;
  notes?: string;
}

export async function recordPayment(ctx: TenantContext, input: NewPayment): Promise<{ payment: Payment; invoice: Invoice }> {
  // The row lock serialises payments on one invoice until this transaction commits: each one
  // sees the amount paid by those before it, so together they can never overpay.
  const invoice = await ctx.em.findOne(InvoiceSchema, { id: input.invoice_id, workspace_id: ctx.workspaceId },
    { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!invoice) throw notFound('invoice', input.invoice_id);
  // A draft may be paid: no operation sends an invoice, and a payment shows it was issued.
  if (invoice.status === 'void') {
    throw ruleViolation('invoice_id', `Invoice ${invoice.id} is void and accepts no payments.`, { invoice_status: invoice.status });
  }
  const due = invoice.total_cents - invoice.amount_paid_cents;
  if (input.amount_cents > due) {
    throw ruleViolation('amount_cents',
      `amount_cents (${input.amount_cents}) is greater than the invoice's amount due (${due}; total ${invoice.total_cents}, already paid ${invoice.amount_paid_cents}).`,
      { amount_cents: input.amount_cents, amount_due_cents: due, total_cents: invoice.total_cents, amount_paid_cents: invoice.amount_paid_cents });
  }

  const now = new Date();
  const payment = ctx.em.create(PaymentSchema, {
    id: newId(CRM_IDS.payment),
    workspace_id: ctx.workspaceId,
    invoice_id: invoice.id,
    amount_cents: input.amount_cents,
    currency: invoice.currency,
    method: input.method ?? 'other',
    paid_at: input.paid_at ? new Date(input.paid_at) : now,
    reference: input.reference ?? null,
    notes: input.notes ?? null,
    created_at: now,
  });
  const settled = input.amount_cents === due;
  invoice.amount_paid_cents += input.amount_cents;
  invoice.status = settled ? 'paid' : 'partially_paid';
  if (settled) invoice.paid_at = payment.paid_at;
  invoice.updated_at = now;
  ctx.em.persist(payment);
  recordEvent(ctx, { type: 'payment.recorded', resource_type: 'payment', resource_id: payment.id, payload: serializePayment(payment, invoice) });
  if (settled) {
    const lines = (await loadLineItems(ctx, [invoice.id])).get(invoice.id)!;
    recordEvent(ctx, { type: 'invoice.paid', resource_type: 'invoice', resource_id: invoice.id, payload: serializeInvoice({ invoice, lines }) });
  }
  await ctx.em.flush();
  return { payment, invoice };
}
