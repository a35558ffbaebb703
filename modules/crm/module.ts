// The CRM: contacts and companies (directory/), leads and their conversion (leads/), the deal
// pipeline (deals/), invoices, payments and the ledger (accounting/).
import { defineModule } from '../manifest.ts';
import { CRM_IDS } from './ids.ts';
import { CompanySchema, ContactSchema } from './directory/entities.ts';
import { directoryOperations } from './directory/operations.ts';
import { LeadSchema } from './leads/entities.ts';
import { leadOperations } from './leads/operations.ts';
import { createConversionActivities } from './leads/conversion/activities.ts';
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
});
