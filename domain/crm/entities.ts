import { EntitySchema } from '@mikro-orm/postgresql';

export interface Company {
  id: string;
  workspace_id: string;
  name: string;
  domain: string | null;
  website: string | null;
  industry: string | null;
  notes: string | null;
  custom_fields: Record<string, unknown>;
  /** Lower-cased text the free-text search matches (a generated column with a trigram index). */
  search_text?: string;
  created_at: Date;
  updated_at: Date;
}

export const CompanySchema = new EntitySchema<Company>({
  name: 'Company',
  tableName: 'companies',
  properties: {
    id: { type: 'text', primary: true },
    workspace_id: { type: 'text' },
    name: { type: 'text' },
    domain: { type: 'text', nullable: true },
    website: { type: 'text', nullable: true },
    industry: { type: 'text', nullable: true },
    notes: { type: 'text', nullable: true },
    custom_fields: { type: 'json' },
    search_text: { type: 'text', generated: 'stored', lazy: true, nullable: true },
    created_at: { type: 'Date', onCreate: () => new Date() },
    updated_at: { type: 'Date', onCreate: () => new Date(), onUpdate: () => new Date() },
  },
});

export interface Contact {
  id: string;
  workspace_id: string;
  name: string;
  email: string | null;
  phone: string | null;
  title: string | null;
  company_id: string | null;
  company_name: string | null;
  notes: string | null;
  custom_fields: Record<string, unknown>;
  /** Lower-cased text the free-text search matches (a generated column with a trigram index). */
  search_text?: string;
  created_at: Date;
  updated_at: Date;
}

export const ContactSchema = new EntitySchema<Contact>({
  name: 'Contact',
  tableName: 'contacts',
  properties: {
    id: { type: 'text', primary: true },
    workspace_id: { type: 'text' },
    name: { type: 'text' },
    email: { type: 'text', nullable: true },
    phone: { type: 'text', nullable: true },
    title: { type: 'text', nullable: true },
    company_id: { type: 'text', nullable: true },
    company_name: { type: 'text', nullable: true },
    notes: { type: 'text', nullable: true },
    custom_fields: { type: 'json' },
    search_text: { type: 'text', generated: 'stored', lazy: true, nullable: true },
    created_at: { type: 'Date', onCreate: () => new Date() },
    updated_at: { type: 'Date', onCreate: () => new Date(), onUpdate: () => new Date() },
  },
});
