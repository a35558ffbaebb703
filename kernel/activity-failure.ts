// How an activity reports a failure to its workflow. A business rule that stops a step (a 4xx
// ApiError) is final: a non-retryable ApplicationFailure whose type names the reason (details.reason
// when the rule gives one, else the error code in PascalCase). Anything else is left for Temporal
// to retry.
import { ApplicationFailure } from '@temporalio/common';
import { ApiError } from '../platform/errors.ts';

export function asActivityFailure(err: unknown): unknown {
  if (!(err instanceof ApiError) || err.status >= 500) return err;
  const details = (err.details && !Array.isArray(err.details) ? err.details : {}) as Record<string, unknown>;
  const type = typeof details.reason === 'string' ? details.reason : pascalCase(err.code);
  return ApplicationFailure.nonRetryable(err.message, type, { code: err.code, field: details.field ?? null });
}

const pascalCase = (code: string) => code.replace(/(^|_)([a-z])/g, (_, __, c: string) => c.toUpperCase());
