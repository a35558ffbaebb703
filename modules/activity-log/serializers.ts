// The contract's Activity, from its row.
import type { Schema } from '../../api/operations.ts';
import { nulled } from '../../kernel/serialize.ts';
import type { Activity } from './entities.ts';

export const serializeActivity = (a: Activity): Schema<'Activity'> => nulled({
  id: a.id,
  type: a.type,
  summary: a.summary,
  body: a.body,
  occurred_at: a.occurred_at.toISOString(),
  related_resource_type: a.related_resource_type,
  related_resource_id: a.related_resource_id,
  actor_type: a.actor_type,
  actor_id: a.actor_id,
  actor_name: a.actor_name,
  created_at: a.created_at.toISOString(),
});
