// The contract's Lead, from its row (the conversion's bookkeeping columns stay inside).
import type { Schema } from '../../../api/operations.ts';
import { nulled } from '../../../kernel/serialize.ts';
import type { Lead } from './entities.ts';

export const serializeLead = (l: Lead): Schema<'Lead'> => nulled({
  id: l.id,
  name: l.name,
  email: l.email,
  phone: l.phone,
  title: l.title,
  company_name: l.company_name,
  company_domain: l.company_domain,
  source: l.source,
  status: l.status,
  notes: l.notes,
  custom_fields: l.custom_fields,
  contact_id: l.contact_id,
  company_id: l.company_id,
  deal_id: l.deal_id,
  converted_at: l.converted_at ? l.converted_at.toISOString() : null,
  conversion_workflow_id: l.conversion_workflow_id,
  created_at: l.created_at.toISOString(),
  updated_at: l.updated_at.toISOString(),
});
