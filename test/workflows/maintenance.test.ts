import test from 'ava';
import { randomUUID } from 'node:crypto';
import { loadConfig } from '../../platform/config.ts';
import { createDeps } from '../../app/deps.ts';
import { createWorkspace } from '../../kernel/tenancy/workspaces.ts';
import { PURGE_IDEMPOTENCY_KEYS_SCHEDULE } from '../../modules/maintenance/module.ts';

const config = loadConfig(process.env, { root: '/nonexistent' });
let deps: Awaited<ReturnType<typeof createDeps>>;
test.before(async () => { deps = await createDeps(config); });
test.after.always(async () => { await deps?.close(); });

test('the purge workflow deletes expired idempotency keys and keeps live ones', async (t) => {
  const ws = await createWorkspace(deps.orm.em.fork(), { name: 'Purge' });
  const conn = deps.orm.em.fork().getConnection();
  const insert = (key: string, expires: string) => conn.execute(
    `insert into idempotency_keys (workspace_id, operation, key, request_hash, state, expires_at) values (?, 'createContact', ?, 'h', 'completed', now() + ?::interval)`,
    [ws.id, key, expires]);
  await insert('old-1', '-2 hours');
  await insert('old-2', '-1 second');
  await insert('live', '23 hours');
  const result = await deps.temporal.workflow.execute('purgeExpiredIdempotencyKeys', {
    taskQueue: config.temporalTaskQueue, workflowId: `test-purge-${randomUUID()}`, args: [],
  }) as { deleted: number };
  t.true(result.deleted >= 2);
  const left = await conn.execute<{ key: string }[]>('select key from idempotency_keys where workspace_id = ? order by key', [ws.id]);
  t.deepEqual(left.map((r) => r.key), ['live']);
});

test('the worker keeps an hourly Temporal Schedule for the purge', async (t) => {
  const description = await deps.temporal.schedule.getHandle(PURGE_IDEMPOTENCY_KEYS_SCHEDULE).describe();
  t.is(description.action.type, 'startWorkflow');
  t.is((description.action as { workflowType: string }).workflowType, 'purgeExpiredIdempotencyKeys');
  t.is((description.action as { taskQueue: string }).taskQueue, config.temporalTaskQueue);
  t.is(description.spec.intervals?.[0]?.every, 3_600_000);
});
