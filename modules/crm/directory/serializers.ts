// The contract's Contact and Company, from their rows.
import type { Schema } from '../../../api/operations.ts';
import { nulled } from '../../../kernel/serialize.ts';
import type { Company, Contact } from './entities.ts';

export const serializeCompany = (c: Company): Schema<'Company'> => nulled({
  id: c.id,
  name: c.name,
  domain: c.domain,
  website: c.website,
  industry: c.industry,
  notes: c.notes,
  custom_fields: c.custom_fields,
  created_at: c.created_at.toISOString(),
  updated_at: c.updated_at.toISOString(),
});

export const serializeContact = (c: Contact): Schema<'Contact'> => nulled({
  id: c.id,
  name: c.name,
  email: c.email,
  phone: c.phone,
  title: c.title,
  company_id: c.company_id,
  company_name: c.company_name,
  notes: c.notes,
  custom_fields: c.custom_fields,
  created_at: c.created_at.toISOString(),
  updated_at: c.updated_at.toISOString(),
});
