// Defining a name or key that exists is a conflict unless the client says which version it
// replaces (optimistic concurrency): a stale version is refused, so two editors of the plan never
// silently overwrite each other.
import { isDeepStrictEqual } from 'node:util';
import { ApiError, ruleViolation } from '../../platform/errors.ts';
import { sql } from '../../platform/db.ts';
import type { TenantContext } from '../../kernel/tenant.ts';

export interface Versioned { id: string; version: number }

interface Target {
  resource: 'analytics_event' | 'analytics_property';
  table: 'analytics_events' | 'analytics_properties';
  field: 'name' | 'key';
  value: string;
}

const label = (t: Target) => `${t.resource === 'analytics_event' ? 'Analytics event' : 'Analytics property'} ${t.value}`;

/** The committed id and version of the record this natural key names, if any. */
export async function findVersion(ctx: TenantContext, t: Target): Promise<Versioned | null> {
  const [row] = await sql<Versioned[]>(ctx.em, `select id, version from ${t.table} where workspace_id = ? and ${t.field} = ?`, [ctx.workspaceId, t.value]);
  return row ?? null;
}

/** Throws unless the request may go on: a new definition of a free key, or a redefinition of the current version. */
export function assertDefinable(t: Target, existing: Versioned | null, replacesVersion: number | undefined): void {
  if (!existing) {
    if (replacesVersion !== undefined) {
      throw ruleViolation('replaces_version', `${label(t)} is not defined, so there is no version to replace; define it without replaces_version.`);
    }
    return;
  }
  const details = { resource: t.resource, field: t.field, existing_id: existing.id, current_version: existing.version };
  if (replacesVersion === undefined) {
    throw new ApiError(409, 'already_exists', `${label(t)} is already defined (${existing.id}, version ${existing.version}); to change it, redefine it with replaces_version ${existing.version}.`, details);
  }
  if (replacesVersion !== existing.version) {
    throw new ApiError(409, 'version_conflict', `${label(t)} is at version ${existing.version}, not ${replacesVersion}; read it again and redefine it with replaces_version ${existing.version}.`,
      { ...details, field: 'replaces_version' });
  }
}

/** The top-level fields whose values differ (object key order does not count). */
export function changedFields(before: Record<string, unknown>, after: Record<string, unknown>, ignore: string[] = ['version', 'updated_at']): string[] {
  return Object.keys(after).filter((k) => !ignore.includes(k) && !isDeepStrictEqual(before[k], after[k]));
}

/** A definition's outcome: the record and whether this call created it (201) or redefined it (200). */
export interface Defined<T> { record: T; created: boolean }
