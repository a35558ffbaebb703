// The event catalog: the built-in types (from the manifests) and the workspace's custom ones,
// listed together in key order, and the registration of custom types. Keys are unique across
// both: registering a built-in or an existing key answers 409 with the existing id.
import { Ajv2020 } from 'ajv/dist/2020.js';
import { sql } from '../../../platform/db.ts';
import { alreadyExists, validationFailed } from '../../../platform/errors.ts';
import { newId } from '../../../platform/ids.ts';
import { decodeCursor, encodeCursor } from '../../../platform/cursor.ts';
import type { TenantContext } from '../../../kernel/tenant.ts';
import { lockNaturalKey } from '../../../kernel/locks.ts';
import { recordCreated } from '../../../kernel/outbox.ts';
import { containsPattern, DEFAULT_LIMIT, type Page, type PageRequest } from '../../../kernel/pagination.ts';
import { INTEGRATION_IDS } from '../ids.ts';
import { IntegrationEventTypeSchema, type IntegrationEventType } from '../entities.ts';
import type { CatalogEntry } from './builtins.ts';

export const serializeCustomType = (row: IntegrationEventType): CatalogEntry => ({
  id: row.id,
  key: row.key,
  category: row.category,
  description: row.description ?? null,
  source: 'custom',
  payload_schema: row.payload_schema ?? null,
  created_at: row.created_at.toISOString(),
});

export interface EventTypeFilters extends PageRequest { query?: string; category?: string }

/**
 * One page of the catalog in key order. The built-ins are few and in memory; the custom rows come
 * from SQL in the same (byte, collate "C") order; the cursor holds the last key shown.
 */
export async function listEventTypes(ctx: TenantContext, builtins: readonly CatalogEntry[], filters: EventTypeFilters): Promise<Page<CatalogEntry>> {
  const limit = filters.limit ?? DEFAULT_LIMIT;
  const scope = { secret: ctx.cursorSecret, workspaceId: ctx.workspaceId, list: 'integration_event_types' };
  const after = filters.cursor ? decodeCursor(scope, filters.cursor).after : null;
  const query = filters.query?.toLowerCase();
  const fromCode = builtins.filter((e) => (!filters.category || e.category === filters.category)
    && (!query || e.key.includes(query) || (e.description ?? '').toLowerCase().includes(query))
    && (after === null || e.key > after));

  const where = ['workspace_id = ?'];
  const params: unknown[] = [ctx.workspaceId];
  if (filters.category) { where.push('category = ?'); params.push(filters.category); }
  if (query) { where.push('(key like ? or lower(description) like ?)'); params.push(containsPattern(query), containsPattern(query)); }
  if (after !== null) { where.push('key collate "C" > ?'); params.push(after); }
  const rows = await sql<IntegrationEventType[]>(ctx.em,
    `select * from integration_event_types where ${where.join(' and ')} order by key collate "C" limit ?`, [...params, limit + 1]);
  const custom = rows.map((r) => serializeCustomType({ ...r, created_at: new Date(r.created_at) }));

  const merged = [...fromCode, ...custom].sort((a, b) => (a.key < b.key ? -1 : 1)).slice(0, limit + 1);
  const items = merged.slice(0, limit);
  const last = items[items.length - 1];
  return { items, next_cursor: merged.length > limit && last ? encodeCursor(scope, { after: last.key }) : null };
}

export interface NewEventType { key: string; category: string; description?: string; payload_schema?: Record<string, unknown> }

const schemaChecker = new Ajv2020({ strict: false, validateFormats: false });

export async function registerEventType(ctx: TenantContext, builtins: readonly CatalogEntry[], input: NewEventType): Promise<CatalogEntry> {
  const builtin = builtins.find((b) => b.key === input.key);
  if (builtin) throw alreadyExists('event type', 'key', builtin.id);
  if (input.payload_schema !== undefined && !schemaChecker.validateSchema(input.payload_schema)) {
    throw validationFailed([{ field: 'payload_schema', problem: `is not a JSON Schema (2020-12): ${schemaChecker.errorsText(schemaChecker.errors)}` }]);
  }
  await lockNaturalKey(ctx.em, 'integration-event-type', ctx.workspaceId, input.key);
  const [existing] = await sql<{ id: string }[]>(ctx.em, 'select id from integration_event_types where workspace_id = ? and key = ?', [ctx.workspaceId, input.key]);
  if (existing) throw alreadyExists('event type', 'key', existing.id);
  const row = ctx.em.create(IntegrationEventTypeSchema, {
    id: newId(INTEGRATION_IDS.eventType),
    workspace_id: ctx.workspaceId,
    key: input.key,
    category: input.category,
    description: input.description ?? null,
    payload_schema: input.payload_schema ?? null,
    created_at: new Date(),
  });
  ctx.em.persist(row);
  const entry = serializeCustomType(row);
  recordCreated(ctx, 'integration_event_type', row.id, { ...entry });
  await ctx.em.flush();
  return entry;
}

/** Problems for the subscribed keys that are neither `*`, built in, nor this workspace's custom types. */
export async function unknownEventTypes(ctx: TenantContext, builtins: readonly CatalogEntry[], keys: readonly string[]): Promise<{ field: string; problem: string }[]> {
  const candidates = keys.filter((k) => k !== '*' && !builtins.some((b) => b.key === k));
  if (!candidates.length) return [];
  const rows = await sql<{ key: string }[]>(ctx.em,
    'select key from integration_event_types where workspace_id = ? and key in (select jsonb_array_elements_text(?::jsonb))', [ctx.workspaceId, JSON.stringify(candidates)]);
  const custom = new Set(rows.map((r) => r.key));
  return keys.flatMap((key, i) => (key === '*' || !candidates.includes(key) || custom.has(key)
    ? [] : [{ field: `event_types.${i}`, problem: `"${key}" is not a known event type (listIntegrationEventTypes lists them; "*" subscribes to all)` }]));
}
