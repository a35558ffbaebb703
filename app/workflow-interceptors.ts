// Workflow interceptors (bundled with the workflows, so deterministic): every activity a
// workflow schedules gets the request id of the workflow's memo in a header, and the workflow's
// own log lines carry it.
import { defaultPayloadConverter, workflowInfo, type WorkflowInterceptorsFactory } from '@temporalio/workflow';
import { REQUEST_ID_HEADER } from './request-id-header.ts';

const requestId = (): string | null => {
  const id = workflowInfo().memo?.request_id;
  return typeof id === 'string' ? id : null;
};

export const interceptors: WorkflowInterceptorsFactory = () => ({
  outbound: [{
    scheduleActivity(input, next) {
      const id = requestId();
      return next(id ? { ...input, headers: { ...input.headers, [REQUEST_ID_HEADER]: defaultPayloadConverter.toPayload(id) } } : input);
    },
    scheduleLocalActivity(input, next) {
      const id = requestId();
      return next(id ? { ...input, headers: { ...input.headers, [REQUEST_ID_HEADER]: defaultPayloadConverter.toPayload(id) } } : input);
    },
    getLogAttributes(input, next) {
      const id = requestId();
      return next(id ? { ...input, request_id: id } : input);
    },
  }],
});
