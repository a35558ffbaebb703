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
