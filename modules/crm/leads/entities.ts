import { defineEntity, type InferEntity } from '@mikro-orm/postgresql';

export const LEAD_SOURCES = ['manual', 'website', 'referral', 'campaign', 'import', 'api', 'mcp', 'other'] as const;
export const LEAD_STATUSES = ['new', 'working', 'qualified', 'disqualified', 'converting', 'converted'] as const;
/** Statuses a lead can be converted from (and is restored to when its conversion fails). */
export const CONVERTIBLE_STATUSES = ['new', 'working', 'qualified'] as const;

export type LeadSource = typeof LEAD_SOURCES[number];
export type LeadStatus = typeof LEAD_STATUSES[number];
export type ConvertibleStatus = typeof CONVERTIBLE_STATUSES[number];

export const LeadSchema = defineEntity({
  name: 'Lead',
  tableName: 'leads',
  properties: (p) => ({
    id: p.text().primary(),
    workspace_id: p.text(),
    name: p.text(),
    email: p.text().nullable(),
    phone: p.text().nullable(),
    title: p.text().nullable(),
    company_name: p.text().nullable(),
    company_domain: p.text().nullable(),
    source: p.enum([...LEAD_SOURCES]),
    status: p.enum([...LEAD_STATUSES]),
    notes: p.text().nullable(),
    custom_fields: p.json<Record<string, unknown>>(),
    contact_id: p.text().nullable(),
    company_id: p.text().nullable(),
    deal_id: p.text().nullable(),
    converted_at: p.datetime().nullable(),
    conversion_workflow_id: p.text().nullable(),
    /** The workflow run that owns the conversion; kept after a failed run restored the lead. */
    conversion_run_id: p.text().nullable(),
    /** The workflow command the current (or last) conversion belongs to. */
    conversion_command_id: p.text().nullable(),
    status_before_conversion: p.enum([...CONVERTIBLE_STATUSES]).nullable(),
    /** Records the running conversion created (not found): the only ones its compensation removes. */
    created_company_id: p.text().nullable(),
    created_contact_id: p.text().nullable(),
    created_deal_id: p.text().nullable(),
    /** Lower-cased text the free-text search matches (a generated column with a trigram index). */
    search_text: p.text().generated('stored').nullable().lazy(true, false),
    created_at: p.datetime().onCreate(() => new Date()),
    updated_at: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  }),
});
export type Lead = InferEntity<typeof LeadSchema>;

