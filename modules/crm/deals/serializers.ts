// The contract's DealStage and Deal, from their rows.
import type { Schema } from '../../../api/operations.ts';
import { nulled } from '../../../kernel/serialize.ts';
import type { Deal, DealStage } from './entities.ts';

export const serializeDealStage = (s: Pick<DealStage, 'id' | 'key' | 'name' | 'position' | 'outcome' | 'created_at' | 'updated_at'>): Schema<'DealStage'> => nulled({
  id: s.id,
  key: s.key,
  name: s.name,
  position: s.position,
  outcome: s.outcome,
  created_at: s.created_at.toISOString(),
  updated_at: s.updated_at.toISOString(),
});

export function serializeDeal(deal: Deal): Schema<'Deal'> {
  return nulled({
    id: deal.id,
    name: deal.name,
    stage: deal.stage,
    stage_id: deal.stage_id,
    status: deal.status,
    amount_cents: deal.amount_cents,
    currency: deal.currency,
    company_id: deal.company_id,
    contact_id: deal.contact_id,
    lead_id: deal.lead_id,
    expected_close_date: deal.expected_close_date,
    closed_at: deal.closed_at ? deal.closed_at.toISOString() : null,
    notes: deal.notes,
    custom_fields: deal.custom_fields,
    created_at: deal.created_at.toISOString(),
    updated_at: deal.updated_at.toISOString(),
  });
}
