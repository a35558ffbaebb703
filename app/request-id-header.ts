// The Temporal header that carries a workflow's request id (from its memo) to its activities.
// Shared by the workflow interceptor (inside the sandbox) and the activity interceptor.
export const REQUEST_ID_HEADER = 'slab5-request-id';

/** The header @temporalio/interceptors-opentelemetry carries a span context in (its TRACE_HEADER). */
export const TRACE_HEADER = '_tracer-data';
