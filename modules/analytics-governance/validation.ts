// validateAnalyticsEvent: the payload against the current version of its event, through that
// version's compiled validator (compiled on first use per process, then cached).
import type { ValidateFunction } from 'ajv/dist/2020.js';
import { ApiError, validationFailed } from '../../platform/errors.ts';
import { sql } from '../../platform/db.ts';
import type { Schema } from '../../api/operations.ts';
import type { TenantContext } from '../../kernel/tenant.ts';
import { compiledPlans, type CompiledPlans } from './compiled-plans.ts';
import type { EventStatus } from './entities.ts';
import { toViolations, type Violation } from './violations.ts';

export type Validation = Schema<'AnalyticsEventValidation'>;

/** At most this many violations are listed (`truncated` tells when there were more). */
export const MAX_VIOLATIONS = 100;

/**
 * A payload carries at most this many values (nested ones included). Ajv reports every violation
 * it meets, and a 1 MiB array of wrong items would make hundreds of thousands of them.
 */
export const MAX_PAYLOAD_VALUES = 10_000;

interface EventVersion { id: string; name: string; version: number; status: EventStatus }

export async function validateAnalyticsEvent(
  ctx: TenantContext, name: string, payload: Record<string, unknown>, plans: CompiledPlans = compiledPlans,
): Promise<Validation> {
  if (!withinValues(payload, MAX_PAYLOAD_VALUES)) {
    throw validationFailed([{ field: 'properties', problem: `carries more than ${MAX_PAYLOAD_VALUES} values (nested ones included)` }]);
  }
  const [current] = await sql<EventVersion[]>(ctx.em,
    'select id, name, version, status from analytics_events where workspace_id = ? and name = ?', [ctx.workspaceId, name]);
  if (!current) throw unknownEvent(name);
  const cached = plans.get(current.id, current.version);
  if (cached) return checkPayload(cached, current, payload);
  // First use of this version here: its stored schema, read with the version it belongs to (a
  // redefinition may have committed since the first read).
  const [row] = await sql<(EventVersion & { json_schema: object })[]>(ctx.em,
    'select id, name, version, status, json_schema from analytics_events where id = ? and workspace_id = ?', [current.id, ctx.workspaceId]);
  if (!row) throw unknownEvent(name);
  return checkPayload(plans.compile(row.id, row.version, row.json_schema), row, payload);
}

/** Pure: a payload against a compiled version (what the benchmark times). */
export function checkPayload(validate: ValidateFunction, event: EventVersion, payload: Record<string, unknown>): Validation {
  const found: Violation[] = [];
  if (event.status === 'deprecated') {
    found.push({ property: null, code: 'deprecated_event', severity: 'warning', message: `${event.name} is deprecated; stop sending it or move to its replacement` });
  }
  let total = found.length;
  if (!validate(payload)) {
    const { violations, total: errors } = toViolations(validate.errors ?? [], payload, MAX_VIOLATIONS - found.length);
    found.push(...violations);
    total += errors;
  }
  return {
    valid: !found.some((v) => v.severity === 'error'),
    event_id: event.id,
    name: event.name,
    version: event.version,
    errors: found,
    truncated: total > found.length,
  };
}

/** Whether the value holds at most `limit` values in all; stops counting past the limit. */
function withinValues(root: unknown, limit: number): boolean {
  let left = limit;
  const stack: unknown[] = [root];
  while (stack.length) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object') continue;
    const children = Array.isArray(node) ? node : Object.values(node);
    left -= children.length;
    if (left < 0) return false;
    for (const child of children) if (child !== null && typeof child === 'object') stack.push(child);
  }
  return true;
}

const unknownEvent = (name: string) => new ApiError(404, 'not_found', `No analytics event named "${name}" is defined in this workspace.`,
  { resource: 'analytics_event', name, violation: 'unknown_event' });
