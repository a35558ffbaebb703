// The contract's accounting resources, from their rows.
import type { Schema } from '../../../api/operations.ts';
import { nulled } from '../../../kernel/serialize.ts';
import type { AccountView, Invoice, InvoiceView, JournalEntryView, Payment } from './entities.ts';

export const serializeAccount = ({ account: a, balance_cents }: AccountView): Schema<'AccountingAccount'> => nulled({
  id: a.id,
  code: a.code,
  name: a.name,
  type: a.type,
  description: a.description,
  balance_cents,
  created_at: a.created_at.toISOString(),
  updated_at: a.updated_at.toISOString(),
});

export const serializeInvoice = ({ invoice: i, lines }: InvoiceView): Schema<'Invoice'> => nulled({
  id: i.id,
  invoice_number: i.invoice_number,
  status: i.status,
  currency: i.currency,
  company_id: i.company_id,
  contact_id: i.contact_id,
  deal_id: i.deal_id,
  issue_date: i.issue_date,
  due_date: i.due_date,
  line_items: lines.map((l) => nulled({
    id: l.id,
    kind: l.kind,
    name: l.name,
    description: l.description,
    quantity: l.quantity,
    unit_amount_cents: l.unit_amount_cents,
    amount_cents: l.amount_cents,
  })),
  subtotal_cents: i.subtotal_cents,
  total_cents: i.total_cents,
  amount_paid_cents: i.amount_paid_cents,
  amount_due_cents: i.total_cents - i.amount_paid_cents,
  notes: i.notes,
  paid_at: i.paid_at?.toISOString() ?? null,
  created_at: i.created_at.toISOString(),
  updated_at: i.updated_at.toISOString(),
});

export const serializeJournalEntry = ({ entry: e, lines }: JournalEntryView): Schema<'JournalEntry'> => nulled({
  id: e.id,
  status: e.status,
  entry_date: e.entry_date,
  memo: e.memo,
  reference: e.reference,
  lines: lines.map((l) => nulled({ id: l.id, account_id: l.account_id, debit_cents: l.debit_cents, credit_cents: l.credit_cents, description: l.description })),
  total_debit_cents: e.total_debit_cents,
  total_credit_cents: e.total_credit_cents,
  posted_at: e.posted_at?.toISOString() ?? null,
  created_at: e.created_at.toISOString(),
  updated_at: e.updated_at.toISOString(),
});

/** The payment plus the invoice's status and amount due right after it. */
export const serializePayment = (p: Payment, invoice: Invoice): Schema<'Payment'> => nulled({
  id: p.id,
  invoice_id: p.invoice_id,
  amount_cents: p.amount_cents,
  currency: p.currency,
  method: p.method,
  paid_at: p.paid_at.toISOString(),
  reference: p.reference,
  notes: p.notes,
  invoice_status: invoice.status,
  invoice_amount_due_cents: invoice.total_cents - invoice.amount_paid_cents,
  created_at: p.created_at.toISOString(),
});
