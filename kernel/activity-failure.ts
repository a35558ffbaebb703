// How an activity reports a failure to its workflow. A business rule that stops a step (a 4xx
// ApiError) is final: a non-retryable ApplicationFailure whose type names the reason (details.reason
// when the rule gives one, else the error code in PascalCase). Anything else is left for Temporal
// to retry. A database error goes into Temporal's history without its query's values.
import { ApplicationFailure } from '@temporalio/common';
import { ApiError } from '../platform/errors.ts';
import { isDbError, redactDbMessage, redactReason } from '../platform/log-redaction.ts';

export function asActivityFailure(err: unknown): unknown {
  if (!(err instanceof ApiError) || err.status >= 500) return err;
  const details = (err.details && !Array.isArray(err.details) ? err.details : {}) as Record<string, unknown>;
  const type = typeof details.reason === 'string' ? details.reason : pascalCase(err.code);
  return ApplicationFailure.nonRetryable(err.message, type, { code: err.code, field: details.field ?? null });
}

const pascalCase = (code: string) => code.replace(/(^|_)([a-z])/g, (_, __, c: string) => c.toUpperCase());

/**
 * The failure Temporal records for an activity's error. A database error's message and stack
 * quote its statement's values (personal data, secrets), and the history keeps them for anyone
 * with UI access: it becomes a retryable failure of the same type (error name) with the values
 * taken out, as the logs have them. Any other error is recorded as thrown.
 */
export function withoutQueryValues(err: unknown): unknown {
  if (!isDbError(err) || err instanceof ApplicationFailure) return err;
  const e = err as Error & { code?: unknown; sqlState?: unknown };
  const message = redactDbMessage(e.message ?? '');
  const failure = ApplicationFailure.create({ message, type: e.name || 'DatabaseError', nonRetryable: false, details: [{ sql_state: e.sqlState ?? e.code ?? null }] });
  failure.stack = redactReason(e.stack ? e.stack.split(e.message).join(message) : message);
  return failure;
}
