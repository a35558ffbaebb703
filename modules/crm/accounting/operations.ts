import { list, write, type OperationHandlers } from '../../../api/operations.ts';
import { createAccount, listAccounts } from './accounts.ts';
import { createInvoice, listInvoices } from './invoices.ts';
import { createJournalEntry, listJournalEntries } from './journal.ts';
import { recordPayment } from './payments.ts';
import { serializeAccount, serializeInvoice, serializeJournalEntry, serializePayment } from './serializers.ts';

export const accountingOperations = {
  listInvoices: list(({ tenant, query }) => listInvoices(tenant, query), serializeInvoice),
  createInvoice: write(201, ({ tenant, body }) => createInvoice(tenant, body), serializeInvoice),
  recordPayment: write(201, ({ tenant, body }) => recordPayment(tenant, body), ({ payment, invoice }) => serializePayment(payment, invoice)),
  listAccountingAccounts: list(({ tenant, query }) => listAccounts(tenant, query), serializeAccount),
  createAccountingAccount: write(201, ({ tenant, body }) => createAccount(tenant, body), serializeAccount),
  listJournalEntries: list(({ tenant, query }) => listJournalEntries(tenant, query), serializeJournalEntry),
  createJournalEntry: write(201, ({ tenant, body }) => createJournalEntry(tenant, body), serializeJournalEntry),
} satisfies OperationHandlers;
