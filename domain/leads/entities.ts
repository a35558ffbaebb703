import { EntitySchema } from '@mikro-orm/postgresql';

export const LEAD_SOURCES = ['manual', 'website', 'referral', 'campaign', 'import', 'api', 'mcp', 'other'] as const;
export const LEAD_STATUSES = ['new', 'working', 'qualified', 'disqualified', 'converting', 'converted'] as const;
/** Statuses a lead can be converted from (and is restored to when its conversion fails). */
export const CONVERTIBLE_STATUSES = ['new', 'working', 'qualified'] as const;

export type LeadSource = typeof LEAD_SOURCES[number];
export type LeadStatus = typeof LEAD_STATUSES[number];
export type ConvertibleStatus = typeof CONVERTIBLE_STATUSES[number];

export interface Lead {
  id: string;
  workspace_id: string;
  name: string;
  email: string | null;
  phone: string | null;
  title: string | null;
  company_name: string | null;
  company_domain: string | null;
  source: LeadSource;
  status: LeadStatus;
  notes: string | null;
  custom_fields: Record<string, unknown>;
  contact_id: string | null;
  company_id: string | null;
  deal_id: string | null;
  converted_at: Date | null;
  conversion_workflow_id: string | null;
  /** The workflow run that owns the conversion; kept after a failed run restored the lead. */
  conversion_run_id: string | null;
  status_before_conversion: ConvertibleStatus | null;
  /** Records the running conversion created (not found): the only ones its compensation removes. */
  created_company_id: string | null;
  created_contact_id: string | null;
  created_deal_id: string | null;
  /** Lower-cased text the free-text search matches (a generated column with a trigram index). */
  search_text?: string;
  created_at: Date;
  updated_at: Date;
}

export const LeadSchema = new EntitySchema<Lead>({
  name: 'Lead',
  tableName: 'leads',
  properties: {
    id: { type: 'text', primary: true },
    workspace_id: { type: 'text' },
    name: { type: 'text' },
    email: { type: 'text', nullable: true },
    phone: { type: 'text', nullable: true },
    title: { type: 'text', nullable: true },
    company_name: { type: 'text', nullable: true },
    company_domain: { type: 'text', nullable: true },
    source: { type: 'text' },
    status: { type: 'text' },
    notes: { type: 'text', nullable: true },
    custom_fields: { type: 'json' },
    contact_id: { type: 'text', nullable: true },
    company_id: { type: 'text', nullable: true },
    deal_id: { type: 'text', nullable: true },
    converted_at: { type: 'Date', nullable: true },
    conversion_workflow_id: { type: 'text', nullable: true },
    conversion_run_id: { type: 'text', nullable: true },
    status_before_conversion: { type: 'text', nullable: true },
    created_company_id: { type: 'text', nullable: true },
    created_contact_id: { type: 'text', nullable: true },
    created_deal_id: { type: 'text', nullable: true },
    search_text: { type: 'text', generated: 'stored', lazy: true, nullable: true },
    created_at: { type: 'Date', onCreate: () => new Date() },
    updated_at: { type: 'Date', onCreate: () => new Date(), onUpdate: () => new Date() },
  },
});

export const leadEntities: EntitySchema<any>[] = [LeadSchema];
