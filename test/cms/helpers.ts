// Shared by the CMS tests: raw reads of what the CMS wrote, and a collection of every field type.
import type { ApiClient } from '../helpers/client.ts';
import type { Harness } from '../helpers/harness.ts';

export function cmsReader(h: Harness) {
  return {
    events: (workspaceId: string, resourceId?: string) => h.sql<{ type: string; resource_id: string; payload: any }>(
      `select type, resource_id, payload from outbox_events where workspace_id = ?${resourceId ? ' and resource_id = ?' : ''} order by id`,
      resourceId ? [workspaceId, resourceId] : [workspaceId]),
    eventTypes: async (workspaceId: string, resourceId: string) =>
      (await h.sql<{ type: string }>('select type from outbox_events where workspace_id = ? and resource_id = ? order by id', [workspaceId, resourceId])).map((r) => r.type),
    commands: (workspaceId: string, resourceId: string) => h.sql<{ workflow_type: string; workflow_id: string; signal: string | null; args: any }>(
      'select workflow_type, workflow_id, signal, args from workflow_commands where workspace_id = ? and resource_id = ? order by id', [workspaceId, resourceId]),
  };
}

/** A field of every type the contract lists; only title_text is required. */
export const EVERY_TYPE = [
  { key: 'headline', type: 'string' },
  { key: 'summary', type: 'text' },
  { key: 'body', type: 'markdown' },
  { key: 'html_body', type: 'html' },
  { key: 'rating', type: 'number' },
  { key: 'reading_minutes', type: 'integer' },
  { key: 'featured', type: 'boolean' },
  { key: 'event_date', type: 'date' },
  { key: 'starts_at', type: 'date_time' },
  { key: 'website', type: 'url' },
  { key: 'contact_email', type: 'email' },
  { key: 'cover', type: 'asset' },
  { key: 'related', type: 'reference' },
  { key: 'meta', type: 'json' },
  { key: 'title_text', type: 'string', required: true },
] as const;

export async function collection(client: ApiClient, fields: readonly object[] = [
  { key: 'slug', type: 'string', required: true },
  { key: 'summary', type: 'string' },
  { key: 'body', type: 'markdown' },
], key = `col_${Math.random().toString(36).slice(2, 10)}`): Promise<{ id: string; key: string }> {
  const res = await client.post('/cms/collections', { name: 'Blog posts', key, schema: { fields } });
  if (res.status !== 201) throw new Error(`collection: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data;
}

export async function entry(client: ApiClient, body: Record<string, unknown>): Promise<any> {
  const res = await client.post('/cms/entries', body);
  if (res.status !== 201) throw new Error(`entry: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data;
}
