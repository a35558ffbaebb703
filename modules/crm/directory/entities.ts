import { defineEntity, type InferEntity } from '@mikro-orm/postgresql';

export const CompanySchema = defineEntity({
  name: 'Company',
  tableName: 'companies',
  properties: (p) => ({
    id: p.text().primary(),
    workspace_id: p.text(),
    name: p.text(),
    domain: p.text().nullable(),
    website: p.text().nullable(),
    industry: p.text().nullable(),
    notes: p.text().nullable(),
    custom_fields: p.json<Record<string, unknown>>(),
    /** Lower-cased text the free-text search matches (a generated column with a trigram index). */
    search_text: p.text().generated('stored').nullable().lazy(true, false),
    created_at: p.datetime().onCreate(() => new Date()),
    updated_at: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  }),
});
export type Company = InferEntity<typeof CompanySchema>;

export const ContactSchema = defineEntity({
  name: 'Contact',
  tableName: 'contacts',
  properties: (p) => ({
    id: p.text().primary(),
    workspace_id: p.text(),
    name: p.text(),
    email: p.text().nullable(),
    phone: p.text().nullable(),
    title: p.text().nullable(),
    company_id: p.text().nullable(),
    company_name: p.text().nullable(),
    notes: p.text().nullable(),
    custom_fields: p.json<Record<string, unknown>>(),
    /** Lower-cased text the free-text search matches (a generated column with a trigram index). */
    search_text: p.text().generated('stored').nullable().lazy(true, false),
    created_at: p.datetime().onCreate(() => new Date()),
    updated_at: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  }),
});
export type Contact = InferEntity<typeof ContactSchema>;
