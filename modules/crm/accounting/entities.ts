// Invoices, payments and the ledger. Money columns are bigint cents, read as JS numbers: every
// amount the API accepts is at most 10^13, far below Number.MAX_SAFE_INTEGER.
import { defineEntity, type InferEntity } from '@mikro-orm/postgresql';

export type InvoiceStatus = 'draft' | 'sent' | 'partially_paid' | 'paid' | 'void';
export type LineItemKind = 'product' | 'service' | 'subscription' | 'fee' | 'other';
export type PaymentMethod = 'bank_transfer' | 'card' | 'cash' | 'check' | 'other';

export const InvoiceSchema = defineEntity({
  name: 'Invoice',
  tableName: 'invoices',
  properties: (p) => ({
    id: p.text().primary(),
    workspace_id: p.text(),
    invoice_number: p.text(),
    status: p.text().$type<InvoiceStatus>(),
    currency: p.text(),
    company_id: p.text().nullable(),
    contact_id: p.text().nullable(),
    deal_id: p.text().nullable(),
    issue_date: p.date(),
    due_date: p.date().nullable(),
    subtotal_cents: p.bigint('number'),
    total_cents: p.bigint('number'),
    amount_paid_cents: p.bigint('number'),
    notes: p.text().nullable(),
    paid_at: p.datetime().nullable(),
    created_at: p.datetime().onCreate(() => new Date()),
    updated_at: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  }),
});
export type Invoice = InferEntity<typeof InvoiceSchema>;

export const InvoiceLineItemSchema = defineEntity({
  name: 'InvoiceLineItem',
  tableName: 'invoice_line_items',
  properties: (p) => ({
    id: p.text().primary(),
    workspace_id: p.text(),
    invoice_id: p.text(),
    position: p.integer(),
    kind: p.text().$type<LineItemKind>(),
    name: p.text(),
    description: p.text().nullable(),
    quantity: p.integer(),
    unit_amount_cents: p.bigint('number'),
    amount_cents: p.bigint('number'),
  }),
});
export type InvoiceLineItem = InferEntity<typeof InvoiceLineItemSchema>;

export const PaymentSchema = defineEntity({
  name: 'Payment',
  tableName: 'payments',
  properties: (p) => ({
    id: p.text().primary(),
    workspace_id: p.text(),
    invoice_id: p.text(),
    amount_cents: p.bigint('number'),
    currency: p.text(),
    method: p.text().$type<PaymentMethod>(),
    paid_at: p.datetime(),
    reference: p.text().nullable(),
    notes: p.text().nullable(),
    created_at: p.datetime().onCreate(() => new Date()),
  }),
});
export type Payment = InferEntity<typeof PaymentSchema>;

export type AccountType = 'asset' | 'liability' | 'equity' | 'revenue' | 'expense';

export const AccountingAccountSchema = defineEntity({
  name: 'AccountingAccount',
  tableName: 'accounting_accounts',
  properties: (p) => ({
    id: p.text().primary(),
    workspace_id: p.text(),
    code: p.text(),
    name: p.text(),
    type: p.text().$type<AccountType>(),
    description: p.text().nullable(),
    /** Lower-cased code and name the free-text search matches (generated, trigram-indexed). */
    search_text: p.text().generated('stored').nullable().lazy(true, false),
    created_at: p.datetime().onCreate(() => new Date()),
    updated_at: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  }),
});
export type AccountingAccount = InferEntity<typeof AccountingAccountSchema>;

export const JournalEntrySchema = defineEntity({
  name: 'JournalEntry',
  tableName: 'journal_entries',
  properties: (p) => ({
    id: p.text().primary(),
    workspace_id: p.text(),
    status: p.text().$type<'draft' | 'posted'>(),
    entry_date: p.date(),
    memo: p.text().nullable(),
    reference: p.text().nullable(),
    total_debit_cents: p.bigint('number'),
    total_credit_cents: p.bigint('number'),
    posted_at: p.datetime().nullable(),
    /** Lower-cased memo and reference the free-text search matches (generated, trigram-indexed). */
    search_text: p.text().generated('stored').nullable().lazy(true, false),
    created_at: p.datetime().onCreate(() => new Date()),
    updated_at: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  }),
});
export type JournalEntry = InferEntity<typeof JournalEntrySchema>;

export const JournalLineSchema = defineEntity({
  name: 'JournalLine',
  tableName: 'journal_lines',
  properties: (p) => ({
    id: p.text().primary(),
    workspace_id: p.text(),
    entry_id: p.text(),
    position: p.integer(),
    account_id: p.text(),
    debit_cents: p.bigint('number'),
    credit_cents: p.bigint('number'),
    description: p.text().nullable(),
  }),
});
export type JournalLine = InferEntity<typeof JournalLineSchema>;
