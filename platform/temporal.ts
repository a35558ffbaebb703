import { Client, Connection } from '@temporalio/client';
import type { Config } from './config.ts';
import { workflowClientInterceptors } from './tracing.ts';

export async function createTemporalClient(config: Config): Promise<Client> {
  const connection = await Connection.connect({ address: config.temporalAddress, connectTimeout: '10s' });
  return new Client({ connection, namespace: config.temporalNamespace, interceptors: { workflow: workflowClientInterceptors() } });
}

/** The innermost failure message of a workflow or activity error: the business reason. */
export function rootCauseMessage(err: unknown): string {
  let current = err as { message?: string; cause?: unknown } | undefined;
  while (current?.cause) current = current.cause as typeof current;
  return current?.message ?? String(err);
}
