import { defineEntity, type InferEntity } from '@mikro-orm/postgresql';

/** A domain event, written in the transaction of the change that caused it. */
export const OutboxEventSchema = defineEntity({
  name: 'OutboxEvent',
  tableName: 'outbox_events',
  properties: (p) => ({
    id: p.text().primary(),
    workspace_id: p.text(),
    type: p.text(),
    resource_type: p.text(),
    resource_id: p.text(),
    payload: p.json<Record<string, unknown>>(),
    request_id: p.text().nullable(),
    occurred_at: p.datetime().onCreate(() => new Date()),
    published_at: p.datetime().nullable(),
  }),
});
export type OutboxEvent = InferEntity<typeof OutboxEventSchema>;
