// A scheduled artifact's run whose worker is SIGKILLed while it mails (between the SMTP send to a
// recipient and the commit that marks it), then replaced: one export, the recipients served
// before the kill are skipped, the one in the ambiguous window gets the mail again under the same
// Message-ID, the rest get theirs, and the delivery is recorded once. The SMTP server of the test
// holds its answer to one recipient's mail, so the kill lands exactly there.
import test from 'ava';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { workerProcesses } from '../helpers/worker-processes.ts';
import { startSmtpInbox, type SmtpInbox } from '../helpers/smtp-inbox.ts';
import { waitUntil } from '../leads/helpers.ts';
import { dealsWorkspace, expectOk, tableDataset } from './helpers.ts';
import { mailMessageId } from '../../modules/bi/artifacts/mail-ledger.ts';

const workers = workerProcesses('bi-artifact-crash');
/** The recipient whose mail the server takes but does not answer, until released. */
let hold: { recipient: string; arrived: () => void; released: Promise<void> } | null = null;
let smtp: SmtpInbox;
let h: Harness;

test.before(async () => {
  smtp = await startSmtpInbox({
    // Kept as delivered even when unanswered: the worst case of SMTP's ambiguous window.
    answer: ({ envelope }) => {
      const held = hold;
      if (!held || !envelope.includes(held.recipient)) return;
      hold = null;
      held.arrived();
      return held.released.catch(() => undefined);
    },
    // The killed worker's connection resets.
    ignoreSessionErrors: true,
  });
  h = await bootHarness({ TEMPORAL_TASK_QUEUE: workers.queue });
});
test.after.always(async () => {
  await workers.killAll();
  await h?.close();
  await smtp?.close();
});

test('a worker killed between a recipient\'s send and its mark is replaced: one export, each recipient served, the resend recognisable', async (t) => {
  const mailEnv = { SMTP_URL: smtp.url, MAIL_FROM: 'Reports <reports@example.com>' };
  const first = workers.start(mailEnv);
  const ws = await dealsWorkspace(h, 3);
  const ds = await tableDataset(t, ws.client, 'deals');
  const recipients = ['first@example.com', 'held@example.com', 'last@example.com'];
  const artifact = await expectOk(t, ws.client.post('/bi/scheduled-artifacts', { name: 'Crash run', dataset_id: ds.id, cron: '0 8 * * 1', recipients, subject: 'Crash run' }), 201);
  const schedule = h.deps.temporal.schedule.getHandle(artifact.schedule_id);
  await waitUntil('the schedule to exist (the worker bundles its workflows first)', () => schedule.describe().catch(() => null), 240_000, 200);

  let arrived!: () => void;
  let release!: () => void;
  const atHeld = new Promise<void>((ok) => { arrived = ok; });
  hold = { recipient: 'held@example.com', arrived, released: new Promise<void>((ok) => { release = ok; }) };
  await schedule.trigger();
  // Unref'd: a pending guard must not keep the file's process alive once the test is done.
  await Promise.race([atHeld, new Promise((_, fail) => setTimeout(() => fail(new Error('the held mail never arrived')), 240_000).unref())]);
  await workers.kill(first);
  t.is(first.signalCode, 'SIGKILL');
  release();

  const exports = await expectOk(t, ws.client.get(`/bi/exports?scheduled_artifact_id=${artifact.id}`));
  t.is(exports.length, 1);
  const exportId: string = exports[0].id;
  const before = await h.sql('select recipient, attempts, sent_at from bi_artifact_mails where export_id = ? order by position', [exportId]);
  t.deepEqual(before.map((r) => [r.recipient, r.attempts, r.sent_at !== null]), [
    ['first@example.com', 1, true], ['held@example.com', 1, false], ['last@example.com', 0, false],
  ], 'the kill landed after the first mark and the held send');

  const second = workers.start(mailEnv);
  const runId = (await schedule.describe()).info.recentActions.at(-1)!.action.workflow.workflowId;
  const outcome = await h.deps.temporal.workflow.getHandle(runId).result();
  t.like(outcome, { state: 'delivered', exportId });

  const received = (to: string) => smtp.mails.filter((m) => m.mail.subject === 'Crash run' && m.envelope.includes(to));
  t.is(received('first@example.com').length, 1, 'a recipient marked sent is skipped by the retry');
  t.is(received('last@example.com').length, 1);
  const held = received('held@example.com');
  t.is(held.length, 2, 'the send in the ambiguous window is repeated');
  t.deepEqual(new Set(held.map((m) => m.mail.messageId)), new Set([mailMessageId(exportId, 'held@example.com')]), 'under the same Message-ID');
  const after = await h.sql('select recipient, attempts, sent_at from bi_artifact_mails where export_id = ? order by position', [exportId]);
  t.deepEqual(after.map((r) => [r.recipient, r.attempts, r.sent_at !== null]), [
    ['first@example.com', 1, true], ['held@example.com', 2, true], ['last@example.com', 1, true],
  ]);
  const delivered = await h.events(ws.id, { type: 'bi.artifact.delivered' });
  t.is(delivered.length, 1, 'the delivery recorded once');
  t.deepEqual(delivered[0]!.payload.recipients, recipients);
  t.is((await expectOk(t, ws.client.get(`/bi/exports?scheduled_artifact_id=${artifact.id}`))).length, 1, 'one export');

  const events = (await h.deps.temporal.workflow.getHandle(runId).fetchHistory()).events ?? [];
  const retried = events.map((e) => e.activityTaskStartedEventAttributes).find((a) => a && (a.attempt ?? 0) >= 2);
  t.is(retried?.identity, workers.identity(second), 'the delivery retried on the replacement worker');
});
