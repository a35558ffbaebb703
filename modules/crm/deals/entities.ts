import { defineEntity, type InferEntity } from '@mikro-orm/postgresql';

export const STAGE_OUTCOMES = ['open', 'won', 'lost'] as const;
export type StageOutcome = typeof STAGE_OUTCOMES[number];

export const DealStageSchema = defineEntity({
  name: 'DealStage',
  tableName: 'deal_stages',
  properties: (p) => ({
    id: p.text().primary(),
    workspace_id: p.text(),
    key: p.text(),
    name: p.text(),
    position: p.integer(),
    outcome: p.enum([...STAGE_OUTCOMES]),
    /** Lower-cased key and name the free-text search matches (a generated column with a trigram index). */
    search_text: p.text().generated('stored').nullable().lazy(true, false),
    created_at: p.datetime().onCreate(() => new Date()),
    updated_at: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  }),
});
export type DealStage = InferEntity<typeof DealStageSchema>;

export const DealSchema = defineEntity({
  name: 'Deal',
  tableName: 'deals',
  properties: (p) => ({
    id: p.text().primary(),
    workspace_id: p.text(),
    name: p.text(),
    stage_id: p.text(),
    /** The stage's key and outcome, copied onto the deal (a composite foreign key keeps them equal) so a deal serializes on its own. */
    stage: p.text(),
    status: p.enum([...STAGE_OUTCOMES]),
    // Amounts stay below 2^53 (the contract caps them at 10^13), so numbers are exact.
    amount_cents: p.bigint('number').nullable(),
    currency: p.text().nullable(),
    company_id: p.text().nullable(),
    contact_id: p.text().nullable(),
    lead_id: p.text().nullable(),
    /** 'YYYY-MM-DD' */
    expected_close_date: p.date().nullable(),
    closed_at: p.datetime().nullable(),
    notes: p.text().nullable(),
    custom_fields: p.json<Record<string, unknown>>(),
    created_at: p.datetime().onCreate(() => new Date()),
    // Set by the service, not by an onUpdate hook: the hook would run at flush, after the
    // deal.updated event captured the time, and the event and the response would disagree.
    updated_at: p.datetime().onCreate(() => new Date()),
  }),
});
export type Deal = InferEntity<typeof DealSchema>;

