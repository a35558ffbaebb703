// The one error type the API turns into the contract's error envelope.
export type ErrorCode =
  | 'malformed_json'
  | 'malformed_body'
  | 'malformed_body_encoding'
  | 'forbidden_json_key'
  | 'json_too_deep'
  | 'unauthorized'
  | 'insufficient_scope'
  | 'module_not_enabled'
  | 'not_found'
  | 'route_not_found'
  | 'method_not_allowed'
  | 'idempotency_key_reused'
  | 'idempotency_request_in_progress'
  | 'already_exists'
  | 'version_conflict'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'validation_failed'
  | 'invalid_cursor'
  | 'rule_violation'
  | 'resource_archived'
  | 'query_timeout'
  | 'rate_limited'
  | 'service_unavailable'
  | 'internal_error';

export class ApiError extends Error {
  constructor(
    public readonly status: number,
    public readonly code: ErrorCode,
    message: string,
    public readonly details: Record<string, unknown> | unknown[] | null = null,
    public readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const notFound = (resource: string, id?: string) =>
  new ApiError(404, 'not_found', id ? `No ${resource} with id "${id}" exists in this workspace.` : `The ${resource} does not exist in this workspace.`,
    id ? { resource, id } : { resource });

/** One field-level problem, as 422 details list them. */
export interface FieldProblem { field: string; problem: string }

/** How many field problems a 422 lists; the rest are counted in details.more_problems. */
export const MAX_LISTED_PROBLEMS = 50;

export const validationFailed = (problems: FieldProblem[], message?: string) => {
  const listed = problems.slice(0, MAX_LISTED_PROBLEMS);
  const more = problems.length - listed.length;
  const summary = listed.slice(0, 10).map((p) => `${p.field} ${p.problem}`).join('; ');
  return new ApiError(422, 'validation_failed',
    message ?? `The request failed validation: ${summary}${problems.length > 10 ? ` (and ${problems.length - 10} more problems)` : ''}.`,
    more > 0 ? { fields: listed, more_problems: more } : { fields: listed });
};

export const ruleViolation = (field: string, message: string, extra: Record<string, unknown> = {}) =>
  new ApiError(422, 'rule_violation', message, { field, ...extra });

export const alreadyExists = (resource: string, field: string, existingId: string) =>
  new ApiError(409, 'already_exists', `A ${resource} with this ${field} already exists in this workspace (${existingId}).`,
    { resource, field, existing_id: existingId });

/** 409: a new object may not reference an archived one (BI datasets, metrics, reports, dashboards). */
export const resourceArchived = (resource: string, id: string, field: string) =>
  new ApiError(409, 'resource_archived', `The ${resource} "${id}" is archived; restore it (status draft or active) before using it.`,
    { resource, id, field });
