// Around every activity execution: its log fields (workflow id, activity, attempt and the
// request id the workflow's interceptor passed in a header), one line when it fails, and its
// duration by activity and outcome. Activities log through the worker's logger, whose mixin
// (activityLogFields) adds the fields of the activity running in the current async context.
import { AsyncLocalStorage } from 'node:async_hooks';
import { Context } from '@temporalio/activity';
import { defaultPayloadConverter, ApplicationFailure, type Payload } from '@temporalio/common';
import type { ActivityInterceptors } from '@temporalio/worker';
import { Histogram, LATENCY_BUCKETS, metricsRegistry } from '../platform/metrics.ts';
import type { Logger } from '../platform/logger.ts';
import { withoutQueryValues } from '../kernel/activity-failure.ts';
import { REQUEST_ID_HEADER } from './request-id-header.ts';

export interface ActivityLogFields { workflow_id: string; workflow_type: string; activity: string; attempt: number; request_id: string | null }

const current = new AsyncLocalStorage<ActivityLogFields>();

/** The pino mixin of the worker's logger: a fresh object, since pino merges each line's fields into it. */
export const activityLogFields = (): object => {
  const fields = current.getStore();
  return fields ? { ...fields } : {};
};

/** The request id of the activity running in this async context (spans started in it carry it). */
export const activityRequestId = (): string | null => current.getStore()?.request_id ?? null;

/**
 * Runs outside any activity's fields. The SDK's own lines do: its worker loop can continue
 * callbacks in the async context of whichever activity scheduled them, so another activity's
 * fields could leak in (the SDK's lines carry the SDK's own workflowId, activityType and, through getLogAttributes, request_id).
 */
export const outsideActivity = <T>(fn: () => T): T => current.exit(fn);

const activities = new Histogram({
  name: 'slab5_activity_duration_seconds',
  help: 'Activity executions by activity type and outcome (completed, failed: Temporal retries it, rejected: a non-retryable business failure).',
  labelNames: ['activity', 'outcome'] as const,
  buckets: [...LATENCY_BUCKETS, 60, 300], registers: [metricsRegistry],
});

export function requestIdOf(headers: Record<string, Payload>): string | null {
  const payload = headers[REQUEST_ID_HEADER];
  if (!payload) return null;
  try {
    const value = defaultPayloadConverter.fromPayload(payload);
    return typeof value === 'string' ? value : null;
  } catch {
    return null;
  }
}

export function activityInterceptors(logger: Logger): (ctx: Context) => ActivityInterceptors {
  return (ctx) => {
    let fields: ActivityLogFields | null = null;
    return {
      inbound: {
        async execute(input, next) {
          const info = ctx.info;
          fields = {
            workflow_id: info.workflowExecution?.workflowId ?? '', workflow_type: info.workflowType ?? '',
            activity: info.activityType, attempt: info.attempt, request_id: requestIdOf(input.headers),
          };
          const started = process.hrtime.bigint();
          let outcome = 'completed';
          try {
            return await current.run(fields, () => next(input));
          } catch (err) {
            outcome = err instanceof ApplicationFailure && err.nonRetryable ? 'rejected' : 'failed';
            logger.warn({ ...fields, err }, outcome === 'rejected' ? 'activity rejected' : 'activity failed (Temporal retries it)');
            throw withoutQueryValues(err);
          } finally {
            activities.labels(fields.activity, outcome).observe(Number(process.hrtime.bigint() - started) / 1e9);
          }
        },
      },
      outbound: {
        // The SDK's own lines about this activity (activity.log) carry the request id too.
        getLogAttributes: (input, next) => next(fields?.request_id ? { ...input, request_id: fields.request_id } : input),
      },
    };
  };
}
