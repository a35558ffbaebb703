// Invoices, payments and the ledger. Money columns are bigint cents, read as JS numbers: every
// amount the API accepts is at most 10^13, far below Number.MAX_SAFE_INTEGER.
import { defineEntity, type InferEntity } from '@mikro-orm/postgresql';

export const INVOICE_STATUSES = ['draft', 'sent', 'partially_paid', 'paid', 'void'] as const;
export type InvoiceStatus = typeof INVOICE_STATUSES[number];
export const LINE_ITEM_KINDS = ['service', 'product', 'subscription', 'fee', 'other'] as const;
export type LineItemKind = typeof LINE_ITEM_KINDS[number];
export const PAYMENT_METHODS = ['bank_transfer', 'card', 'cash', 'check', 'other'] as const;
export type PaymentMethod = typeof PAYMENT_METHODS[number];
export const ACCOUNT_TYPES = ['asset', 'liability', 'equity', 'revenue', 'expense'] as const;
export const JOURNAL_ENTRY_STATUSES = ['draft', 'posted'] as const;

export const InvoiceSchema = defineEntity({
  name: 'Invoice',
  tableName: 'invoices',
  properties: (p) => ({
    id: p.text().primary(),
    workspace_id: p.text(),
    invoice_number: p.text(),
    status: p.enum([...INVOICE_STATUSES]),
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
    kind: p.enum([...LINE_ITEM_KINDS]),
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
    method: p.enum([...PAYMENT_METHODS]),
    paid_at: p.datetime(),
    reference: p.text().nullable(),
    notes: p.text().nullable(),
    created_at: p.datetime().onCreate(() => new Date()),
  }),
});
export type Payment = InferEntity<typeof PaymentSchema>;

export type AccountType = typeof ACCOUNT_TYPES[number];

export const AccountingAccountSchema = defineEntity({
  name: 'AccountingAccount',
  tableName: 'accounting_accounts',
  properties: (p) => ({
    id: p.text().primary(),
    workspace_id: p.text(),
    code: p.text(),
    name: p.text(),
    type: p.enum([...ACCOUNT_TYPES]),
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
    status: p.enum([...JOURNAL_ENTRY_STATUSES]),
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

/** What the accounting operations answer about: a row with what it is served with. */
export interface AccountView { account: AccountingAccount; balance_cents: number }
export interface InvoiceView { invoice: Invoice; lines: InvoiceLineItem[] }
export interface JournalEntryView { entry: JournalEntry; lines: JournalLine[] }
