import { EntitySchema } from '@mikro-orm/postgresql';

export interface OutboxEvent {
  id: string;
  workspace_id: string;
  type: string;
  resource_type: string;
  resource_id: string;
  payload: Record<string, unknown>;
  request_id: string | null;
  occurred_at: Date;
  published_at: Date | null;
}

export const OutboxEventSchema = new EntitySchema<OutboxEvent>({
  name: 'OutboxEvent',
  tableName: 'outbox_events',
  properties: {
    id: { type: 'text', primary: true },
    workspace_id: { type: 'text' },
    type: { type: 'text' },
    resource_type: { type: 'text' },
    resource_id: { type: 'text' },
    payload: { type: 'json' },
    request_id: { type: 'text', nullable: true },
    occurred_at: { type: 'Date', onCreate: () => new Date() },
    published_at: { type: 'Date', nullable: true },
  },
});
