import { BigIntType, EntitySchema } from '@mikro-orm/postgresql';

export const STAGE_OUTCOMES = ['open', 'won', 'lost'] as const;
export type StageOutcome = typeof STAGE_OUTCOMES[number];

export interface DealStage {
  id: string;
  workspace_id: string;
  key: string;
  name: string;
  position: number;
  outcome: StageOutcome;
  /** Lower-cased key and name the free-text search matches (a generated column with a trigram index). */
  search_text?: string;
  created_at: Date;
  updated_at: Date;
}

export const DealStageSchema = new EntitySchema<DealStage>({
  name: 'DealStage',
  tableName: 'deal_stages',
  properties: {
    id: { type: 'text', primary: true },
    workspace_id: { type: 'text' },
    key: { type: 'text' },
    name: { type: 'text' },
    position: { type: 'integer' },
    outcome: { type: 'text' },
    search_text: { type: 'text', generated: 'stored', lazy: true, nullable: true },
    created_at: { type: 'Date', onCreate: () => new Date() },
    updated_at: { type: 'Date', onCreate: () => new Date(), onUpdate: () => new Date() },
  },
});

export interface Deal {
  id: string;
  workspace_id: string;
  name: string;
  stage_id: string;
  /** The stage's key and outcome, copied onto the deal (a composite foreign key keeps them equal) so a deal serializes on its own. */
  stage: string;
  status: StageOutcome;
  amount_cents: number | null;
  currency: string | null;
  company_id: string | null;
  contact_id: string | null;
  lead_id: string | null;
  /** 'YYYY-MM-DD' */
  expected_close_date: string | null;
  closed_at: Date | null;
  notes: string | null;
  custom_fields: Record<string, unknown>;
  created_at: Date;
  updated_at: Date;
}

export const DealSchema = new EntitySchema<Deal>({
  name: 'Deal',
  tableName: 'deals',
  properties: {
    id: { type: 'text', primary: true },
    workspace_id: { type: 'text' },
    name: { type: 'text' },
    stage_id: { type: 'text' },
    stage: { type: 'text' },
    status: { type: 'text' },
    // Amounts stay below 2^53 (the contract caps them at 10^13), so numbers are exact.
    amount_cents: { type: new BigIntType('number'), nullable: true },
    currency: { type: 'text', nullable: true },
    company_id: { type: 'text', nullable: true },
    contact_id: { type: 'text', nullable: true },
    lead_id: { type: 'text', nullable: true },
    expected_close_date: { type: 'date', nullable: true },
    closed_at: { type: 'Date', nullable: true },
    notes: { type: 'text', nullable: true },
    custom_fields: { type: 'json' },
    created_at: { type: 'Date', onCreate: () => new Date() },
    // Set by the service, not by an onUpdate hook: the hook would run at flush, after the
    // deal.updated event captured the time, and the event and the response would disagree.
    updated_at: { type: 'Date', onCreate: () => new Date() },
  },
});

export const dealEntities: EntitySchema<any>[] = [DealStageSchema, DealSchema];
