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

// The workflow's interceptor passes the memo's request id to its activities in a header; the
// activity's interceptor puts it, with the workflow id, on the activity's lines.
test('an activity\'s log line carries the workflow id and the request id of the workflow\'s memo', async (t) => {
  const dir = process.env.SLAB5_TEST_DATA_DIR;
  if (!dir) return t.fail('SLAB5_TEST_DATA_DIR is set by bin/test');
  const config = loadConfig(process.env, { root: '/nonexistent' });
  const client = await createTemporalClient(config);
  const missing = `wrk_missing_${randomUUID().slice(0, 8)}`;
  const requestId = `req_logs_${randomUUID().slice(0, 8)}`;
  try {
    await t.throwsAsync(client.workflow.execute('provisionWorkspace', {
      taskQueue: config.temporalTaskQueue, workflowId: provisionWorkflowId(missing), args: [{ workspaceId: missing }],
      memo: { request_id: requestId },
    }));
  } finally { await client.connection.close(); }
  let mine: Record<string, unknown>[] = [];
  // Both lines are written after the workflow failed (the product's and then the SDK's): poll for both.
  const sdkLine = (r: Record<string, unknown>) => r.component === 'temporal-sdk' && r.msg === 'Activity failed';
  for (let i = 0; i < 40 && !(mine.some((r) => r.activity) && mine.some(sdkLine)); i++) {
    mine = readFileSync(join(dir, 'worker.log'), 'utf8').split('\n').filter((l) => l.includes(requestId)).map((l) => JSON.parse(l) as Record<string, unknown>);
    await new Promise((r) => setTimeout(r, 250));
  }
  const activityLine = mine.find((r) => typeof r.activity === 'string');
  t.truthy(activityLine, `no activity line with ${requestId}: ${JSON.stringify(mine)}`);
  t.like(activityLine, { workflow_id: provisionWorkflowId(missing), workflow_type: 'provisionWorkspace', request_id: requestId, attempt: 1 });
  t.regex(String(activityLine!.msg), /^activity (rejected|failed)/);
  // The SDK's own line about the activity carries it too; no line of other work does.
  t.true(mine.some((r) => sdkLine(r) && r.workflowId === provisionWorkflowId(missing)), 'the SDK\'s line');
  for (const r of mine) t.is(r.workflow_id ?? r.workflowId, provisionWorkflowId(missing), `a line of other work carries the request id: ${JSON.stringify(r).slice(0, 300)}`);
});
