import { EntitySchema } from '@mikro-orm/postgresql';

export const ACTIVITY_TYPES = ['note', 'call', 'email', 'meeting', 'agent_action'] as const;
export type ActivityType = typeof ACTIVITY_TYPES[number];
export type ActorType = 'api_token' | 'system';

/** An immutable entry of the activity log: written once, never updated. */
export interface Activity {
  id: string;
  workspace_id: string;
  type: string;
  summary: string;
  body: string | null;
  occurred_at: Date;
  related_resource_type: string | null;
  related_resource_id: string | null;
  actor_type: ActorType;
  actor_id: string | null;
  /** Lower-cased summary and body the free-text search matches (a generated column with a trigram index). */
  search_text?: string;
  created_at: Date;
}

export const ActivitySchema = new EntitySchema<Activity>({
  name: 'Activity',
  tableName: 'activities',
  properties: {
    id: { type: 'text', primary: true },
    workspace_id: { type: 'text' },
    type: { type: 'text' },
    summary: { type: 'text' },
    body: { type: 'text', nullable: true },
    occurred_at: { type: 'Date' },
    related_resource_type: { type: 'text', nullable: true },
    related_resource_id: { type: 'text', nullable: true },
    actor_type: { type: 'text' },
    actor_id: { type: 'text', nullable: true },
    search_text: { type: 'text', generated: 'stored', lazy: true, nullable: true },
    created_at: { type: 'Date', onCreate: () => new Date() },
  },
});

export const activityEntities: EntitySchema<any>[] = [ActivitySchema];
