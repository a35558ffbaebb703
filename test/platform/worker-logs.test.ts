import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { loadConfig } from '../../platform/config.ts';
import { createTemporalClient } from '../../platform/temporal.ts';
import { provisionWorkflowId } from '../../modules/workspace/provisioning/start.ts';

// bin/test starts the worker with its output in <data dir>/worker.log.
test('the worker logs a failed workflow as JSON records, and every line it writes is JSON', async (t) => {
  const dir = process.env.SLAB5_TEST_DATA_DIR;
  if (!dir) return t.fail('SLAB5_TEST_DATA_DIR is set by bin/test');
  const config = loadConfig(process.env, { root: '/nonexistent' });
  const client = await createTemporalClient(config);
  const missing = `wrk_missing_${randomUUID().slice(0, 8)}`;
  try {
    await t.throwsAsync(client.workflow.execute('provisionWorkspace', {
      taskQueue: config.temporalTaskQueue, workflowId: provisionWorkflowId(missing), args: [{ workspaceId: missing }],
    }));
  } finally { await client.connection.close(); }

  // The SDK writes its warning right after failing the workflow: poll the file briefly.
  let records: Record<string, unknown>[] = [];
  for (let i = 0; i < 40; i++) {
    const lines = readFileSync(join(dir, 'worker.log'), 'utf8').split('\n').filter(Boolean);
    records = lines.map((line) => {
      try { return JSON.parse(line) as Record<string, unknown>; } catch { t.fail(`not JSON: ${line.slice(0, 200)}`); return {}; }
    });
    if (records.some((r) => r.workflowId === provisionWorkflowId(missing))) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const mine = records.filter((r) => r.workflowId === provisionWorkflowId(missing));
  t.true(mine.length >= 1, 'the failure was logged');
  t.true(mine.every((r) => typeof r.level === 'number' && typeof r.time === 'string' && typeof r.msg === 'string'));
});
