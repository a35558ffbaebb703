import { defineEntity, type InferEntity } from '@mikro-orm/postgresql';
import type { Schema } from '../../api/operations.ts';

export type RelatedResourceType = Schema<'RelatedResourceType'>;

export const ACTIVITY_TYPES = ['note', 'call', 'email', 'meeting', 'agent_action'] as const;
export type ActivityType = typeof ACTIVITY_TYPES[number];
export const ACTOR_TYPES = ['api_token', 'mcp_client', 'system'] as const;
export type ActorType = typeof ACTOR_TYPES[number];

export const ActivitySchema = defineEntity({
  name: 'Activity',
  tableName: 'activities',
  properties: (p) => ({
    id: p.text().primary(),
    workspace_id: p.text(),
    type: p.enum([...ACTIVITY_TYPES]),
    summary: p.text(),
    body: p.text().nullable(),
    occurred_at: p.datetime(),
    related_resource_type: p.text().$type<RelatedResourceType>().nullable(),
    related_resource_id: p.text().nullable(),
    actor_type: p.enum([...ACTOR_TYPES]),
    actor_id: p.text().nullable(),
    /** For an MCP client: its name and version. */
    actor_name: p.text().nullable(),
    /** Lower-cased summary and body the free-text search matches (a generated column with a trigram index). */
    search_text: p.text().generated('stored').nullable().lazy(true, false),
    created_at: p.datetime().onCreate(() => new Date()),
  }),
});
export type Activity = InferEntity<typeof ActivitySchema>;

