// OpenTelemetry traces, exported over OTLP/HTTP only when OTEL_EXPORTER_OTLP_ENDPOINT is set (off
// otherwise: no provider, no SQL hooks, nothing per request). A trace runs from the API request
// (api/middleware/tracing.ts) through the workflow start (Temporal's client interceptor, which
// passes the context in the workflow's headers) to each activity (its inbound interceptor) and
// the SQL it runs (the pg instrumentation). Every span gets the request id (slab5.request_id).
import { createContextKey, type Context } from '@opentelemetry/api';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { BatchSpanProcessor, type ReadableSpan, type Span, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import type { WorkflowClientInterceptor } from '@temporalio/client';

/** The context value the API sets for a request's spans. */
export const REQUEST_ID_KEY = createContextKey('slab5.request_id');
export const REQUEST_ID_ATTRIBUTE = 'slab5.request_id';

export interface Tracing { flush: () => Promise<void>; shutdown: () => Promise<void> }

let enabled = false;
export const tracingEnabled = () => enabled;

/** Sets the request id on each span as it starts: from its context, else from `fallback` (the worker's activity scope). */
class RequestIdProcessor implements SpanProcessor {
  constructor(private readonly fallback: () => string | null) {}
  onStart(span: Span, parent: Context): void {
    const id = (parent.getValue(REQUEST_ID_KEY) as string | undefined) ?? this.fallback();
    if (id) span.setAttribute(REQUEST_ID_ATTRIBUTE, id);
  }
  onEnd(_span: ReadableSpan): void {}
  forceFlush(): Promise<void> { return Promise.resolve(); }
  shutdown(): Promise<void> { return Promise.resolve(); }
}

/**
 * Starts tracing for this process when an endpoint is configured (`<endpoint>/v1/traces`), once.
 * Call it before the ORM connects: the pg instrumentation patches the driver as knex loads it.
 */
export function startTracing(endpoint: string | null, serviceName: string, fallbackRequestId: () => string | null = () => null): Tracing {
  if (!endpoint || enabled) return { flush: async () => {}, shutdown: async () => {} };
  enabled = true;
  const provider = new NodeTracerProvider({
    resource: new Resource({ 'service.name': serviceName }),
    spanProcessors: [
      new RequestIdProcessor(fallbackRequestId),
      new BatchSpanProcessor(new OTLPTraceExporter({ url: `${endpoint.replace(/\/$/, '')}/v1/traces` })),
    ],
  });
  provider.register();
  const unregister = registerInstrumentations({ tracerProvider: provider, instrumentations: [new PgInstrumentation({ requireParentSpan: true })] });
  return {
    flush: () => provider.forceFlush(),
    shutdown: async () => {
      unregister();
      await provider.shutdown();
      enabled = false;
    },
  };
}

/** The Temporal client's interceptors: the workflow start span, its context passed in the headers. */
export const workflowClientInterceptors = (): WorkflowClientInterceptor[] => (enabled ? [new OpenTelemetryWorkflowClientInterceptor()] : []);
