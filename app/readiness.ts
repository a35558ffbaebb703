// Readiness: each dependency the API needs answers within a short timeout.
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import type { AppDeps } from '../api/deps.ts';

import type { Check } from '../api/system-routes.ts';
import { sql } from '../platform/db.ts';

async function timed(fn: () => Promise<unknown>, timeoutMs = 3000): Promise<Check> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([fn(), new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs); })]);
    return { ok: true, latency_ms: Date.now() - started };
  } catch (err) {
    return { ok: false, error: (err as Error).message, latency_ms: Date.now() - started };
  } finally {
    clearTimeout(timer);
  }
}

export async function checkReadiness(deps: Pick<AppDeps, 'orm' | 'temporal' | 's3' | 'config'>): Promise<Record<'postgres' | 'temporal' | 's3', Check>> {
  const [postgres, temporal, s3] = await Promise.all([
    timed(() => sql(deps.orm.em.fork(), 'select 1')),
    timed(() => deps.temporal.workflowService.getSystemInfo({})),
    timed(() => deps.s3.send(new HeadBucketCommand({ Bucket: deps.config.s3Bucket }))),
  ]);
  return { postgres, temporal, s3 };
}
