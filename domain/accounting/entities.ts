// Invoices, payments and the ledger. Money columns are bigint cents, read as JS numbers: every
// amount the API accepts is at most 10^13, far below Number.MAX_SAFE_INTEGER.
import { BigIntType, EntitySchema } from '@mikro-orm/postgresql';

const cents = () => ({ type: new BigIntType('number') });

export type InvoiceStatus = 'draft' | 'sent' | 'partially_paid' | 'paid' | 'void';

export interface Invoice {
  id: string;
  workspace_id: string;
  invoice_number: string;
  status: InvoiceStatus;
  currency: string;
  company_id: string | null;
  contact_id: string | null;
  deal_id: string | null;
  issue_date: string;
  due_date: string | null;
  subtotal_cents: number;
  total_cents: number;
  amount_paid_cents: number;
  notes: string | null;
  paid_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export const InvoiceSchema = new EntitySchema<Invoice>({
  name: 'Invoice',
  tableName: 'invoices',
  properties: {
    id: { type: 'text', primary: true },
    workspace_id: { type: 'text' },
    invoice_number: { type: 'text' },
    status: { type: 'text' },
    currency: { type: 'text' },
    company_id: { type: 'text', nullable: true },
    contact_id: { type: 'text', nullable: true },
    deal_id: { type: 'text', nullable: true },
    issue_date: { type: 'date' },
    due_date: { type: 'date', nullable: true },
    subtotal_cents: cents(),
    total_cents: cents(),
    amount_paid_cents: cents(),
    notes: { type: 'text', nullable: true },
    paid_at: { type: 'Date', nullable: true },
    created_at: { type: 'Date', onCreate: () => new Date() },
    updated_at: { type: 'Date', onCreate: () => new Date(), onUpdate: () => new Date() },
  },
});

export interface InvoiceLineItem {
  id: string;
  workspace_id: string;
  invoice_id: string;
  position: number;
  kind: string;
  name: string;
  description: string | null;
  quantity: number;
  unit_amount_cents: number;
  amount_cents: number;
}

export const InvoiceLineItemSchema = new EntitySchema<InvoiceLineItem>({
  name: 'InvoiceLineItem',
  tableName: 'invoice_line_items',
  properties: {
    id: { type: 'text', primary: true },
    workspace_id: { type: 'text' },
    invoice_id: { type: 'text' },
    position: { type: 'integer' },
    kind: { type: 'text' },
    name: { type: 'text' },
    description: { type: 'text', nullable: true },
    quantity: { type: 'integer' },
    unit_amount_cents: cents(),
    amount_cents: cents(),
  },
});

export interface Payment {
  id: string;
  workspace_id: string;
  invoice_id: string;
  amount_cents: number;
  currency: string;
  method: string;
  paid_at: Date;
  reference: string | null;
  notes: string | null;
  created_at: Date;
}

export const PaymentSchema = new EntitySchema<Payment>({
  name: 'Payment',
  tableName: 'payments',
  properties: {
    id: { type: 'text', primary: true },
    workspace_id: { type: 'text' },
    invoice_id: { type: 'text' },
    amount_cents: cents(),
    currency: { type: 'text' },
    method: { type: 'text' },
    paid_at: { type: 'Date' },
    reference: { type: 'text', nullable: true },
    notes: { type: 'text', nullable: true },
    created_at: { type: 'Date', onCreate: () => new Date() },
  },
});

export type AccountType = 'asset' | 'liability' | 'equity' | 'revenue' | 'expense';

export interface AccountingAccount {
  id: string;
  workspace_id: string;
  code: string;
  name: string;
  type: AccountType;
  description: string | null;
  /** Lower-cased code and name the free-text search matches (generated, trigram-indexed). */
  search_text?: string;
  created_at: Date;
  updated_at: Date;
}

export const AccountingAccountSchema = new EntitySchema<AccountingAccount>({
  name: 'AccountingAccount',
  tableName: 'accounting_accounts',
  properties: {
    id: { type: 'text', primary: true },
    workspace_id: { type: 'text' },
    code: { type: 'text' },
    name: { type: 'text' },
    type: { type: 'text' },
    description: { type: 'text', nullable: true },
    search_text: { type: 'text', generated: 'stored', lazy: true, nullable: true },
    created_at: { type: 'Date', onCreate: () => new Date() },
    updated_at: { type: 'Date', onCreate: () => new Date(), onUpdate: () => new Date() },
  },
});

export interface JournalEntry {
  id: string;
  workspace_id: string;
  status: 'draft' | 'posted';
  entry_date: string;
  memo: string | null;
  reference: string | null;
  total_debit_cents: number;
  total_credit_cents: number;
  posted_at: Date | null;
  /** Lower-cased memo and reference the free-text search matches (generated, trigram-indexed). */
  search_text?: string;
  created_at: Date;
  updated_at: Date;
}

export const JournalEntrySchema = new EntitySchema<JournalEntry>({
  name: 'JournalEntry',
  tableName: 'journal_entries',
  properties: {
    id: { type: 'text', primary: true },
    workspace_id: { type: 'text' },
    status: { type: 'text' },
    entry_date: { type: 'date' },
    memo: { type: 'text', nullable: true },
    reference: { type: 'text', nullable: true },
    total_debit_cents: cents(),
    total_credit_cents: cents(),
    posted_at: { type: 'Date', nullable: true },
    search_text: { type: 'text', generated: 'stored', lazy: true, nullable: true },
    created_at: { type: 'Date', onCreate: () => new Date() },
    updated_at: { type: 'Date', onCreate: () => new Date(), onUpdate: () => new Date() },
  },
});

export interface JournalLine {
  id: string;
  workspace_id: string;
  entry_id: string;
  position: number;
  account_id: string;
  debit_cents: number;
  credit_cents: number;
  description: string | null;
}

export const JournalLineSchema = new EntitySchema<JournalLine>({
  name: 'JournalLine',
  tableName: 'journal_lines',
  properties: {
    id: { type: 'text', primary: true },
    workspace_id: { type: 'text' },
    entry_id: { type: 'text' },
    position: { type: 'integer' },
    account_id: { type: 'text' },
    debit_cents: cents(),
    credit_cents: cents(),
    description: { type: 'text', nullable: true },
  },
});

export const accountingEntities: EntitySchema<any>[] = [
  InvoiceSchema, InvoiceLineItemSchema, PaymentSchema, AccountingAccountSchema, JournalEntrySchema, JournalLineSchema,
];
