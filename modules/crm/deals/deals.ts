import { LockMode } from '@mikro-orm/postgresql';
import { newId } from '../../../platform/ids.ts';
import { CRM_IDS } from '../ids.ts';
import { notFound } from '../../../platform/errors.ts';
import type { TenantContext } from '../../../kernel/tenant.ts';
import { getCompany } from '../directory/companies.ts';
import { ContactSchema, type Contact } from '../directory/entities.ts';
import { insertCreated, recordEvent } from '../../../kernel/outbox.ts';
import { DealSchema, type Deal, type DealStage } from './entities.ts';
import { mergeCustomFields } from '../../../kernel/custom-fields.ts';
import { assertMoney } from './money.ts';
import { firstOpenStage, getStageByKey } from './stages.ts';
import { recordStageChange } from './stage-change.ts';
import { serializeDeal } from './serializers.ts';

export interface NewDeal {
  name: string;
  /** Stage key; the workspace's first open stage when omitted. */
  stage?: string;
  amount_cents?: number | null;
  currency?: string | null;
  company_id?: string | null;
  contact_id?: string | null;
  /** Set by lead conversion; not part of the createDeal body. */
  lead_id?: string | null;
  expected_close_date?: string | null;
  notes?: string | null;
  custom_fields?: Record<string, unknown>;
}

/** updateDeal's body: absent fields stay, null clears a nullable field. */
export interface DealPatch {
  name?: string;
  stage?: string;
  amount_cents?: number | null;
  currency?: string | null;
  company_id?: string | null;
  contact_id?: string | null;
  expected_close_date?: string | null;
  notes?: string | null;
  custom_fields?: Record<string, unknown>;
}

export async function createDeal(ctx: TenantContext, input: NewDeal): Promise<Deal> {
  const stage = input.stage ? await getStageByKey(ctx, input.stage) : await firstOpenStage(ctx);
  const amount = input.amount_cents ?? null;
  const currency = input.currency ?? null;
  assertMoney(amount, currency);
  if (input.company_id) await getCompany(ctx, input.company_id);
  if (input.contact_id) await getContact(ctx, input.contact_id);
  const now = new Date();
  const deal = ctx.em.create(DealSchema, {
    id: newId(CRM_IDS.deal),
    workspace_id: ctx.workspaceId,
    name: input.name,
    ...stageFields(stage, now),
    amount_cents: amount,
    currency,
    company_id: input.company_id ?? null,
    contact_id: input.contact_id ?? null,
    lead_id: input.lead_id ?? null,
    expected_close_date: input.expected_close_date ?? null,
    notes: input.notes ?? null,
    custom_fields: input.custom_fields ?? {},
    created_at: now,
    updated_at: now,
  });
  return insertCreated(ctx, 'deal', deal, serializeDeal(deal));
}

export async function updateDeal(ctx: TenantContext, id: string, patch: DealPatch): Promise<Deal> {
  // The row lock makes concurrent stage changes report the stage they really left.
  const deal = await ctx.em.findOne(DealSchema, { id, workspace_id: ctx.workspaceId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!deal) throw notFound('deal', id);
  const now = new Date();
  const changed = new Set<string>();
  const set = <K extends keyof Deal & string>(field: K, value: Deal[K]) => {
    if (deal[field] === value) return;
    deal[field] = value;
    changed.add(field);
  };

  if (patch.name !== undefined) set('name', patch.name);
  if (patch.notes !== undefined) set('notes', patch.notes);
  if (patch.expected_close_date !== undefined) set('expected_close_date', patch.expected_close_date);
  if (patch.company_id !== undefined) set('company_id', patch.company_id === null ? null : (await getCompany(ctx, patch.company_id)).id);
  if (patch.contact_id !== undefined) set('contact_id', patch.contact_id === null ? null : (await getContact(ctx, patch.contact_id)).id);
  if (patch.amount_cents !== undefined || patch.currency !== undefined) {
    const amount = patch.amount_cents !== undefined ? patch.amount_cents : deal.amount_cents ?? null;
    const currency = patch.currency !== undefined ? patch.currency : deal.currency ?? null;
    assertMoney(amount, currency);
    set('amount_cents', amount);
    set('currency', currency);
  }
  if (patch.custom_fields !== undefined) {
    const merged = mergeCustomFields(deal.custom_fields, patch.custom_fields);
    if (JSON.stringify(merged) !== JSON.stringify(deal.custom_fields)) set('custom_fields', merged);
  }
  let stageChange: { from: string; to: DealStage } | null = null;
  if (patch.stage !== undefined && patch.stage !== deal.stage) {
    const to = await getStageByKey(ctx, patch.stage);
    stageChange = { from: deal.stage, to };
    for (const [field, value] of Object.entries(stageFields(to, now))) set(field as keyof Deal & string, value as never);
  }

  if (!changed.size) return deal;
  deal.updated_at = now;
  const serialized = serializeDeal(deal);
  recordEvent(ctx, { type: 'deal.updated', resource_type: 'deal', resource_id: deal.id, payload: { ...serialized, changed_fields: [...changed] } });
  if (stageChange) await recordStageChange(ctx, deal, stageChange.from, stageChange.to);
  await ctx.em.flush();
  return deal;
}

/**
 * Removes a deal that a failed lead conversion created (saga compensation only) and records
 * `deal.deleted`. Idempotent, because the compensating activity may run again: a deal already
 * gone is left gone.
 */
export async function deleteDealForCompensation(ctx: TenantContext, dealId: string): Promise<void> {
  const deal = await ctx.em.findOne(DealSchema, { id: dealId, workspace_id: ctx.workspaceId });
  if (!deal) return;
  recordEvent(ctx, { type: 'deal.deleted', resource_type: 'deal', resource_id: deal.id, payload: serializeDeal(deal) });
  ctx.em.remove(deal);
  await ctx.em.flush();
}

/** A stage's fields on a deal: its key and outcome are copied, and a closed stage stamps closed_at. */
function stageFields(stage: DealStage, now: Date): Pick<Deal, 'stage_id' | 'stage' | 'status' | 'closed_at'> {
  return { stage_id: stage.id, stage: stage.key, status: stage.outcome, closed_at: stage.outcome === 'open' ? null : now };
}

async function getContact(ctx: TenantContext, id: string): Promise<Contact> {
  const contact = await ctx.em.findOne(ContactSchema, { id, workspace_id: ctx.workspaceId });
  if (!contact) throw notFound('contact', id);
  return contact;
}
