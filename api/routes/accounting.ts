import { createAccount, listAccounts, serializeAccount } from '../../domain/accounting/accounts.ts';
import { createInvoice, listInvoices, serializeInvoice } from '../../domain/accounting/invoices.ts';
import { createJournalEntry, listJournalEntries, serializeJournalEntry } from '../../domain/accounting/journal.ts';
import { recordPayment, serializePayment } from '../../domain/accounting/payments.ts';
import { respond, respondWithWrite } from '../write.ts';
import type { HandlerMap } from './types.ts';

export const accountingHandlers: HandlerMap = {
  listInvoices: async (ctx) => {
    const page = await listInvoices(ctx.state.tenant!, ctx.state.input!.query);
    respond(ctx, page.items.map(serializeInvoice), { next_cursor: page.next_cursor });
  },
  createInvoice: (ctx) =>
    respondWithWrite(ctx, 201, async (tenant) => serializeInvoice(await createInvoice(tenant, ctx.state.input!.body))),
  recordPayment: (ctx) =>
    respondWithWrite(ctx, 201, async (tenant) => {
      const { payment, invoice } = await recordPayment(tenant, ctx.state.input!.body);
      return serializePayment(payment, invoice);
    }),
  listAccountingAccounts: async (ctx) => {
    const page = await listAccounts(ctx.state.tenant!, ctx.state.input!.query);
    respond(ctx, page.items.map(serializeAccount), { next_cursor: page.next_cursor });
  },
  createAccountingAccount: (ctx) =>
    respondWithWrite(ctx, 201, async (tenant) => serializeAccount(await createAccount(tenant, ctx.state.input!.body))),
  listJournalEntries: async (ctx) => {
    const page = await listJournalEntries(ctx.state.tenant!, ctx.state.input!.query);
    respond(ctx, page.items.map(serializeJournalEntry), { next_cursor: page.next_cursor });
  },
  createJournalEntry: (ctx) =>
    respondWithWrite(ctx, 201, async (tenant) => serializeJournalEntry(await createJournalEntry(tenant, ctx.state.input!.body))),
};
