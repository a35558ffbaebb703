// Workflow interceptors (bundled with the workflows, so deterministic): every activity a
// workflow schedules gets the request id of the workflow's memo in a header, and the trace
// context the workflow was started with (so the activity's span continues the request's trace);
// the workflow's own log lines carry the request id.
import { defaultPayloadConverter, workflowInfo, type WorkflowInterceptorsFactory } from '@temporalio/workflow';
import type { Payload } from '@temporalio/common';
import { REQUEST_ID_HEADER, TRACE_HEADER } from './request-id-header.ts';

const requestId = (): string | null => {
  const id = workflowInfo().memo?.request_id;
  return typeof id === 'string' ? id : null;
};

/** The headers an activity gets: its own, the request id, the start's trace context. */
function activityHeaders(headers: Record<string, Payload>, trace: Payload | undefined): Record<string, Payload> {
  const id = requestId();
  if (!id && !trace) return headers;
  return { ...headers, ...(id ? { [REQUEST_ID_HEADER]: defaultPayloadConverter.toPayload(id) } : {}), ...(trace ? { [TRACE_HEADER]: trace } : {}) };
}

// Called once per workflow execution: `trace` is this execution's.
export const interceptors: WorkflowInterceptorsFactory = () => {
  let trace: Payload | undefined;
  return {
    inbound: [{
      execute(input, next) {
        trace = input.headers[TRACE_HEADER];
        return next(input);
      },
    }],
    outbound: [{
      scheduleActivity: (input, next) => next({ ...input, headers: activityHeaders(input.headers, trace) }),
      scheduleLocalActivity: (input, next) => next({ ...input, headers: activityHeaders(input.headers, trace) }),
      getLogAttributes(input, next) {
        const id = requestId();
        return next(id ? { ...input, request_id: id } : input);
      },
    }],
  };
};
