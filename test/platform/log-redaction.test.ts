// A database error that ends in a 500 (or in the 422 of a value the database refused) is logged
// without the values bound to its query: the driver's message inlines them, PostgreSQL's reason
// and detail quote them, and they can be personal data or secrets.
import test from 'ava';
import { Writable } from 'node:stream';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { createLogger } from '../../platform/logger.ts';
import { ormOptions, sql } from '../../platform/db.ts';
import { buildApp } from '../../app/api.ts';
import { registry } from '../../app/modules.ts';
import { apiClient } from '../helpers/client.ts';
import { redactDbMessage } from '../../platform/log-redaction.ts';
import type { OperationHandlers } from '../../api/operations.ts';
import { ApplicationFailure, defaultFailureConverter, defaultPayloadConverter } from '@temporalio/common';
import type { Context } from '@temporalio/activity';
import { activityInterceptors } from '../../app/activity-context.ts';

let h: Harness;
test.before(async () => { h = await bootHarness(); });
test.after.always(async () => { await h?.close(); });

const SECRET = 'sk_live_9f8e7d6c5b4a39281706f5e4';

test('the SQL keeps its shape and the reason its words; literals and quoted values are gone', (t) => {
  const message = `insert into "contacts" ("id", "email", "score") values ('con_1', E'it''s ${SECRET}\\\\', 4242) - invalid input syntax for type uuid: "${SECRET}"`;
  const redacted = redactDbMessage(message);
  t.is(redacted, `insert into "contacts" ("id", "email", "score") values ('?', '?', ?) - invalid input syntax for type uuid: "?"`);
  t.is(redactDbMessage('Key (email)=(someone@example.com) already exists.'), 'Key (email)=(?) already exists.');
  t.is(redactDbMessage(`value "${SECRET}" is out of range for type integer`), 'value "?" is out of range for type integer');
});

test('what the ORM itself logs loses the values it inlines into its SQL', (t) => {
  const lines: string[] = [];
  const sink = new Writable({ write(chunk, _enc, done) { lines.push(chunk.toString()); done(); } });
  const options = ormOptions('postgres://x@127.0.0.1/x', { entities: [], migrations: [] }, createLogger('debug', 'slab5-test-orm', sink));
  t.is(options.debug, false, 'query logging stays off');
  options.logger!(`[query] update "webhook_endpoints" set "secret" = '${SECRET}' where "id" = 'wh_1' [took 2 ms]`);
  t.is(lines.length, 1);
  t.false(lines[0]!.includes(SECRET));
  t.regex(lines[0]!, /set \\"secret\\" = '\?'/);
});

test('a driver error ending in a 500, and one ending in a 422, log no value bound to their query', async (t) => {
  const lines: string[] = [];
  const sink = new Writable({ write(chunk, _enc, done) { lines.push(...chunk.toString().split('\n').filter(Boolean)); done(); } });
  // getWorkspace answers from queries that fail with the secret bound: a missing table (42P01,
  // a 500) and a value PostgreSQL cannot read as a number (22P02, the 422 of last defence).
  const failing = (query: string): OperationHandlers => ({
    ...registry.operations,
    getWorkspace: async (req) => { await sql(req.tenant.em, query, [SECRET, `${SECRET}@example.com`]); return { status: 200, body: { data: {} } }; },
  });
  for (const [query, status] of [
    ['insert into no_such_table (token, email) values (?, ?)', 500],
    ['select ?::int, ?::text', 422],
  ] as const) {
    lines.length = 0;
    const built = buildApp({ ...h.deps, logger: createLogger('trace', 'slab5-test-redaction', sink) }, failing(query));
    const server = built.app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const { token } = await h.workspace();
      const res = await apiClient(`http://127.0.0.1:${(server.address() as { port: number }).port}`, token, built.contract).get('/workspace');
      t.is(res.status, status, query);
      const logged = lines.filter((l) => l.includes('"err"'));
      t.is(logged.length, 1, `one error line for ${query}: ${lines.join('\n')}`);
      const err = JSON.parse(logged[0]!).err;
      // The line still says what failed: the statement's shape and PostgreSQL's reason and code.
      t.regex(err.message, status === 500 ? /insert into no_such_table \(token, email\) values \('?\?'?, '?\?'?\) - relation "no_such_table" does not exist/ : /select '?\?'?::int, '?\?'?::text - invalid input syntax for type integer: "\?"/);
      t.is(err.code, status === 500 ? '42P01' : '22P02');
      for (const line of lines) {
        t.false(line.includes(SECRET), `a log line carries the bound value: ${line.slice(0, 400)}`);
        t.false(line.includes('sk_live_'), `a log line carries part of the bound value: ${line.slice(0, 400)}`);
      }
    } finally {
      await new Promise((r) => server.close(r));
      await built.close();
    }
  }
});

test('an activity\'s database error goes into Temporal\'s history without the values bound to its query', async (t) => {
  const lines: string[] = [];
  const sink = new Writable({ write(chunk, _enc, done) { lines.push(chunk.toString()); done(); } });
  const ctx = { info: { workflowExecution: { workflowId: 'wf-redaction' }, workflowType: 'test', activityType: 'failing', attempt: 1 } } as unknown as Context;
  const { inbound } = activityInterceptors(createLogger('warn', 'slab5-test-activity', sink))(ctx);
  const run = (work: () => Promise<unknown>) => inbound!.execute!({ args: [], headers: {} }, work);
  const thrown = await t.throwsAsync(run(() => sql(h.deps.orm.em.fork(), 'select ?::int, ?::text', [SECRET, `${SECRET}@example.com`])));
  t.true(thrown instanceof ApplicationFailure);
  const failure = thrown as ApplicationFailure;
  t.false(failure.nonRetryable, 'Temporal still retries it, as the driver error it was');
  t.regex(failure.message, /select '?\?'?::int, '?\?'?::text - invalid input syntax for type integer: "\?"/);
  // What the SDK records in the history: message, stack, details.
  const recorded = JSON.stringify(defaultFailureConverter.errorToFailure(failure, defaultPayloadConverter));
  t.false(recorded.includes('sk_live_'), recorded.slice(0, 600));
  t.deepEqual(failure.details, [{ sql_state: '22P02' }], 'the SQLSTATE stays in the details');
  t.false(lines.join('').includes('sk_live_'), 'nor in the log line');

  const plain = new Error(`not a database error: ${SECRET}`);
  t.is(await t.throwsAsync(run(async () => { throw plain; })), plain, 'any other error is recorded as thrown');
});
