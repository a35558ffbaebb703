// OpenTelemetry traces, exported over OTLP/HTTP only when OTEL_EXPORTER_OTLP_ENDPOINT is set (off
// otherwise: no provider, no SQL hooks, nothing per request). A trace runs from the API request
// (api/middleware/tracing.ts) through the workflow start (Temporal's client interceptor, which
// passes the context in the workflow's headers) to each activity (its inbound interceptor) and
// the SQL it runs (the pg instrumentation). Every span gets the request id (slab5.request_id).
import { createContextKey } from '@opentelemetry/api';
import type { WorkflowClientInterceptor } from '@temporalio/client';

/** The context value the API sets for a request's spans. */
export const REQUEST_ID_KEY = createContextKey('slab5.request_id');
export const REQUEST_ID_ATTRIBUTE = 'slab5.request_id';

export interface Tracing { flush: () => Promise<void>; shutdown: () => Promise<void> }

let sdk: typeof import('./tracing-sdk.ts') | null = null;
export const tracingEnabled = () => sdk !== null;

/**
 * Starts tracing for this process when an endpoint is configured (`<endpoint>/v1/traces`), once.
 * Call it before the ORM connects: the pg instrumentation patches the driver as knex loads it.
 * The OpenTelemetry SDK is loaded only then (tens of MB a process without tracing does not hold).
 */
export async function startTracing(endpoint: string | null, serviceName: string, fallbackRequestId: () => string | null = () => null): Promise<Tracing> {
  if (!endpoint || sdk) return { flush: async () => {}, shutdown: async () => {} };
  const loaded = await import('./tracing-sdk.ts');
  sdk = loaded;
  const started = loaded.startSdk(endpoint, serviceName, { key: REQUEST_ID_KEY, attribute: REQUEST_ID_ATTRIBUTE, fallback: fallbackRequestId });
  return {
    flush: started.flush,
    shutdown: async () => {
      await started.shutdown();
      sdk = null;
    },
  };
}

/** The Temporal client's interceptors: the workflow start span, its context passed in the headers. */
export const workflowClientInterceptors = (): WorkflowClientInterceptor[] => (sdk ? sdk.clientInterceptors() : []);
