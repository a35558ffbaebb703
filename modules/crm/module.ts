// The CRM: contacts and companies (directory/), leads and their conversion (leads/), the deal
// pipeline (deals/), invoices, payments and the ledger (accounting/).
import { defineModule } from '../manifest.ts';
import { CRM_IDS } from './ids.ts';
import { CompanySchema, ContactSchema } from './directory/entities.ts';
import { directoryOperations } from './directory/operations.ts';
import { LeadSchema } from './leads/entities.ts';
import { leadOperations } from './leads/operations.ts';
import { createConversionActivities } from './leads/conversion/activities.ts';
import { retryConversion } from './leads/conversion/request.ts';
import { DealSchema, DealStageSchema } from './deals/entities.ts';
import { dealOperations } from './deals/operations.ts';
import { dealPipelineSeeder } from './deals/pipeline-defaults.ts';
import {
  AccountingAccountSchema, InvoiceLineItemSchema, InvoiceSchema, JournalEntrySchema, JournalLineSchema, PaymentSchema,
} from './accounting/entities.ts';
import { accountingOperations } from './accounting/operations.ts';
import { Migration20261128000002_leads } from './migrations/Migration20261128000002_leads.ts';
import { Migration20261128000003_deals } from './migrations/Migration20261128000003_deals.ts';
import { Migration20261128000004_accounting } from './migrations/Migration20261128000004_accounting.ts';
import { Migration20261201000002_lead_conversion_command } from './migrations/Migration20261201000002_lead_conversion_command.ts';

export const crmModule = defineModule({
  name: 'crm',
  // contacts and companies are created by the kernel's foundation migration (they predate modules).
  entities: [
    ContactSchema, CompanySchema, LeadSchema, DealStageSchema, DealSchema,
    InvoiceSchema, InvoiceLineItemSchema, PaymentSchema, AccountingAccountSchema, JournalEntrySchema, JournalLineSchema,
  ],
  migrations: [
    { name: 'Migration20261128000002_leads', class: Migration20261128000002_leads },
    { name: 'Migration20261128000003_deals', class: Migration20261128000003_deals },
    { name: 'Migration20261128000004_accounting', class: Migration20261128000004_accounting },
    { name: 'Migration20261201000002_lead_conversion_command', class: Migration20261201000002_lead_conversion_command },
  ],
  operations: { ...directoryOperations, ...leadOperations, ...dealOperations, ...accountingOperations },
  ids: CRM_IDS,
  relatedResources: { lead: 'leads', contact: 'contacts', company: 'companies', deal: 'deals', invoice: 'invoices' },
  workflows: ['convertLead'],
  activities: createConversionActivities,
  seeders: [dealPipelineSeeder],
  retries: [{ workflowType: 'convertLead', description: 'converts the lead again, with the deal its last attempt asked for', retry: retryConversion }],
  // What BI may read (its catalog). Search text and lead-conversion bookkeeping stay internal.
  biTables: [
    { table: 'contacts', description: 'People: contacts of the directory.', columns: ['id', 'name', 'email', 'phone', 'title', 'company_id', 'company_name', 'notes', 'custom_fields', 'created_at', 'updated_at'] },
    { table: 'companies', description: 'Organisations of the directory.', columns: ['id', 'name', 'domain', 'website', 'industry', 'notes', 'custom_fields', 'created_at', 'updated_at'] },
    {
      table: 'leads', description: 'Leads, with their conversion results.',
      columns: ['id', 'name', 'email', 'phone', 'title', 'company_name', 'company_domain', 'source', 'status', 'notes', 'custom_fields', 'contact_id', 'company_id', 'deal_id', 'converted_at', 'created_at', 'updated_at'],
    },
    { table: 'deal_stages', description: 'The deal pipeline\'s stages, in position order, with their outcome.', columns: ['id', 'key', 'name', 'position', 'outcome', 'created_at', 'updated_at'] },
    {
      table: 'deals', description: 'Deals: stage, status, amount in cents and currency, links to company, contact and lead.',
      columns: ['id', 'name', 'stage_id', 'stage', 'status', 'amount_cents', 'currency', 'company_id', 'contact_id', 'lead_id', 'expected_close_date', 'closed_at', 'notes', 'custom_fields', 'created_at', 'updated_at'],
    },
    {
      table: 'invoices', description: 'Invoices with their totals and amount paid, in cents.',
      columns: ['id', 'invoice_number', 'status', 'currency', 'company_id', 'contact_id', 'deal_id', 'issue_date', 'due_date', 'subtotal_cents', 'total_cents', 'amount_paid_cents', 'notes', 'paid_at', 'created_at', 'updated_at'],
    },
    { table: 'invoice_line_items', description: 'Invoice lines.', columns: ['id', 'invoice_id', 'position', 'kind', 'name', 'description', 'quantity', 'unit_amount_cents', 'amount_cents'] },
    { table: 'payments', description: 'Payments recorded against invoices.', columns: ['id', 'invoice_id', 'amount_cents', 'currency', 'method', 'paid_at', 'reference', 'notes', 'created_at'] },
    { table: 'accounting_accounts', description: 'Ledger accounts.', columns: ['id', 'code', 'name', 'type', 'description', 'created_at', 'updated_at'] },
    {
      table: 'journal_entries', description: 'Journal entries (draft or posted) with their debit and credit totals.',
      columns: ['id', 'status', 'entry_date', 'memo', 'reference', 'total_debit_cents', 'total_credit_cents', 'posted_at', 'created_at', 'updated_at'],
    },
    { table: 'journal_lines', description: 'Journal entry lines: one account, a debit or a credit in cents.', columns: ['id', 'entry_id', 'position', 'account_id', 'debit_cents', 'credit_cents', 'description'] },
  ],
  events: [
    { type: 'contact.created', schema: 'Contact', description: 'A contact was created (through the API or a lead conversion).' },
    { type: 'contact.deleted', schema: 'Contact', description: 'A contact a failed lead conversion had created was removed.' },
    { type: 'company.created', schema: 'Company', description: 'A company was created (directly, by a contact\'s company_name, or a lead conversion).' },
    { type: 'company.deleted', schema: 'Company', description: 'A company a failed lead conversion had created was removed.' },
    { type: 'lead.created', schema: 'Lead', description: 'A lead was created.' },
    { type: 'lead.converted', schema: 'Lead', description: 'A lead was converted into a contact, a company and optionally a deal.' },
    { type: 'deal_stage.created', schema: 'DealStage', description: 'A deal stage was created (or seeded with the default pipeline).' },
    { type: 'deal.created', schema: 'Deal', description: 'A deal was created.' },
    { type: 'deal.updated', schema: 'Deal', description: 'A deal changed; the payload adds changed_fields.' },
    {
      type: 'deal.stage_changed',
      description: 'A deal moved to another stage (from and to are stage keys).',
      schema: {
        type: 'object',
        required: ['deal_id', 'from', 'to', 'status', 'closed_at'],
        properties: {
          deal_id: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' },
          status: { enum: ['open', 'won', 'lost'] }, closed_at: { type: ['string', 'null'], format: 'date-time' },
        },
      },
    },
    { type: 'deal.deleted', schema: 'Deal', description: 'A deal a failed lead conversion had created was removed.' },
    { type: 'invoice.created', schema: 'Invoice', description: 'An invoice was created.' },
    { type: 'invoice.paid', schema: 'Invoice', description: 'An invoice was paid in full.' },
    { type: 'payment.recorded', schema: 'Payment', description: 'A payment was recorded against an invoice.' },
    { type: 'accounting_account.created', schema: 'AccountingAccount', description: 'A ledger account was created.' },
    { type: 'journal_entry.created', schema: 'JournalEntry', description: 'A journal entry was created.' },
    { type: 'journal_entry.posted', schema: 'JournalEntry', description: 'A journal entry was posted (it no longer changes).' },
  ],
});
