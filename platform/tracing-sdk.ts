// The OpenTelemetry SDK half of platform/tracing.ts, imported only when tracing is configured
// (it receives the request id's context key and attribute from there: no import back).
import type { Context } from '@opentelemetry/api';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { BatchSpanProcessor, type ReadableSpan, type Span, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import type { WorkflowClientInterceptor } from '@temporalio/client';

/** Sets the request id on each span as it starts: from its context, else from `fallback` (the worker's activity scope). */
export interface RequestIdTag { key: symbol; attribute: string; fallback: () => string | null }

class RequestIdProcessor implements SpanProcessor {
  constructor(private readonly tag: RequestIdTag) {}
  onStart(span: Span, parent: Context): void {
    const id = (parent.getValue(this.tag.key) as string | undefined) ?? this.tag.fallback();
    if (id) span.setAttribute(this.tag.attribute, id);
  }
  onEnd(_span: ReadableSpan): void {}
  forceFlush(): Promise<void> { return Promise.resolve(); }
  shutdown(): Promise<void> { return Promise.resolve(); }
}

/** The provider with its exporter and the pg instrumentation, registered for this process. */
export function startSdk(endpoint: string, serviceName: string, requestId: RequestIdTag): { flush: () => Promise<void>; shutdown: () => Promise<void> } {
  const provider = new NodeTracerProvider({
    resource: new Resource({ 'service.name': serviceName }),
    spanProcessors: [
      new RequestIdProcessor(requestId),
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
    },
  };
}

export const clientInterceptors = (): WorkflowClientInterceptor[] => [new OpenTelemetryWorkflowClientInterceptor()];
