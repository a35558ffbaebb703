// A scheduled artifact's run, end to end on real services: its Temporal Schedule fires (triggered
// now rather than waiting for the cron), the run exports the report as a child workflow and mails
// it through SMTP (an smtp-server started by this test) with the link and the attachment, and
// records `bi.artifact.delivered`. The test runs its own worker process, configured with that
// SMTP server, on a task queue of its own (the schedule targets the queue its worker runs on).
import test from 'ava';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { workerProcesses } from '../helpers/worker-processes.ts';
import { startSmtpInbox, type SmtpInbox } from '../helpers/smtp-inbox.ts';
import { waitUntil } from '../leads/helpers.ts';
import { dealsWorkspace, expectOk, pipelineReport } from './helpers.ts';
import { downloadBytes, readBack } from './export-helpers.ts';
import { mailMessageId } from '../../modules/bi/artifacts/mail-ledger.ts';

const workers = workerProcesses('bi-artifacts');
let smtp: SmtpInbox;
let h: Harness;

test.before(async () => {
  smtp = await startSmtpInbox();
  h = await bootHarness({ TEMPORAL_TASK_QUEUE: workers.queue });
  workers.start({ SMTP_URL: smtp.url, MAIL_FROM: 'Reports <reports@example.com>' });
});
test.after.always(async () => {
  await workers.killAll();
  await h?.close();
  await smtp?.close();
});

test.serial('a fired schedule exports the report and mails it to every recipient with the link, the file and the subscribed dashboard, then records the delivery', async (t) => {
  const ws = await dealsWorkspace(h, 6);
  const { report } = await pipelineReport(t, ws);
  const dashboard = await expectOk(t, ws.client.post('/bi/dashboards', { name: 'Pipeline <overview>', cards: [{ report_id: report.id, x: 0, width: 12 }] }), 201);
  const artifact = await expectOk(t, ws.client.post('/bi/scheduled-artifacts', {
    name: 'Weekly pipeline', report_id: report.id, dashboard_id: dashboard.id, cron: '0 8 * * 1', timezone: 'Europe/Paris',
    recipients: ['lead@example.com', 'ceo@example.com'], subject: 'Pipeline this week', message: 'Good morning,\nhere is the pipeline.',
  }), 201);
  const handle = h.deps.temporal.schedule.getHandle(artifact.schedule_id);
  await waitUntil('the schedule to exist (the worker bundles its workflows first)', () => handle.describe().catch(() => null), 240_000, 200);
  await handle.trigger();

  // One mail per recipient, each with the Message-ID of its (run, recipient).
  const mails = await waitUntil('the mails', async () => {
    const found = smtp.mails.filter((m) => m.mail.subject === 'Pipeline this week');
    return found.length >= 2 ? found : null;
  }, 120_000, 200);
  t.deepEqual(mails.map((m) => m.envelope).sort(), [['ceo@example.com'], ['lead@example.com']]);
  t.deepEqual(mails.map((m) => m.mail.to && !Array.isArray(m.mail.to) ? m.mail.to.text : null).sort(), ['ceo@example.com', 'lead@example.com']);
  const received = mails.find((m) => m.envelope[0] === 'lead@example.com')!;
  t.like(received.mail.from?.value[0], { name: 'Reports', address: 'reports@example.com' });
  t.regex(received.mail.text ?? '', /Good morning,\nhere is the pipeline\./);
  const pageUrl = new URL(/Open the report: (\S+)/.exec(received.mail.text ?? '')![1]!);
  t.regex(pageUrl.pathname, new RegExp(`^/bi/pages/report/${report.id}$`));
  // The worker signs for PUBLIC_URL; this API listens elsewhere: the same path and query, here.
  const page = await fetch(`${h.url}${pageUrl.pathname}${pageUrl.search}`);
  t.is(page.status, 200);
  t.is(((await page.text()).match(/aria-roledescription="bar"/g) ?? []).length, 3, 'the page draws the chart');
  // The subscribed dashboard's page, linked in both parts, expiring with the other links.
  const boardUrl = new URL(/Open the dashboard “Pipeline <overview>”: (\S+)/.exec(received.mail.text ?? '')![1]!);
  t.is(boardUrl.pathname, `/bi/pages/dashboard/${dashboard.id}`);
  t.is(boardUrl.searchParams.get('expires'), pageUrl.searchParams.get('expires'), 'valid as long as the report page and the file link');
  t.true((received.mail.html || '').includes(`<a href="${boardUrl.toString().replace(/&/g, '&#38;')}">Open the dashboard “Pipeline &#60;overview&#62;”</a>`), received.mail.html || '');
  const board = await fetch(`${h.url}${boardUrl.pathname}${boardUrl.search}`);
  t.is(board.status, 200);
  const boardHtml = await board.text();
  t.regex(boardHtml, /<h1>Pipeline &#60;overview&#62;<\/h1>/);
  t.is((boardHtml.match(/aria-roledescription="bar"/g) ?? []).length, 3, 'the dashboard page draws its card\'s chart');
  const tampered = new URLSearchParams(boardUrl.search);
  tampered.set('signature', `${tampered.get('signature')!.slice(0, -2)}AA`);
  const refused = await fetch(`${h.url}${boardUrl.pathname}?${tampered}`);
  t.is(refused.status, 403);
  t.regex(await refused.text(), /This link is not valid/);
  const link = /Download Pipeline by stage\.csv \(3 rows, [^)]+\): (\S+)/.exec(received.mail.text ?? '')?.[1];
  t.truthy(link, received.mail.text);
  t.regex(received.mail.html || '', /<a href="http/);
  const [chart, attachment] = received.mail.attachments;
  t.like(chart, { contentType: 'image/png', cid: 'chart@slab5', filename: 'chart.png' });
  t.true(chart!.content.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])), 'a PNG');
  t.true(chart!.content.readUInt32BE(16) >= 560, 'drawn at least 560 px wide');
  // mailparser resolves the cid: reference to the inline part, so the HTML shows the chart itself.
  t.regex(received.mail.html || '', /<img src="data:image\/png;base64,iVBORw0KGgo/);
  t.is(attachment?.filename, 'Pipeline by stage.csv');
  const viaLink = await downloadBytes(link!);
  t.is(viaLink.status, 200);
  t.true(viaLink.bytes.equals(attachment!.content), 'the link and the attachment are the same file');
  t.deepEqual((await readBack('csv', viaLink.bytes)).rows, [['discovery', '5000'], ['proposal', '9000'], ['qualified', '7000']]);

  const delivered = await waitUntil('the delivery event', async () => (await h.events(ws.id, { type: 'bi.artifact.delivered' }))[0]);
  const exports = await expectOk(t, ws.client.get(`/bi/exports?scheduled_artifact_id=${artifact.id}`));
  t.is(exports.length, 1);
  t.like(exports[0], { status: 'succeeded', report_id: report.id, format: 'csv', row_count: 3 });
  t.like(delivered.payload, {
    artifact_id: artifact.id, export_id: exports[0].id, recipients: ['lead@example.com', 'ceo@example.com'], file_name: 'Pipeline by stage.csv',
    report_page_url: pageUrl.toString(), dashboard_page_url: boardUrl.toString(),
  });
  t.deepEqual(mails.map((m) => m.mail.messageId).sort(), [mailMessageId(exports[0].id, 'ceo@example.com'), mailMessageId(exports[0].id, 'lead@example.com')].sort());
  const ledger = await h.sql('select recipient, attempts, sent_at from bi_artifact_mails where export_id = ? order by position', [exports[0].id]);
  t.like(ledger, [{ recipient: 'lead@example.com', attempts: 1 }, { recipient: 'ceo@example.com', attempts: 1 }]);
  t.true(ledger.every((r) => r.sent_at !== null), 'each recipient marked sent');
  const listed = (await expectOk(t, ws.client.get('/bi/scheduled-artifacts')))[0];
  t.is(listed.last_export_id, exports[0].id);
  t.truthy(listed.last_run_at, 'last_run_at from Temporal');
});

test.serial('a run whose export fails records bi.artifact.failed with the reason and mails nothing', async (t) => {
  const ws = await dealsWorkspace(h, 2);
  const ds = await expectOk(t, ws.client.post('/bi/datasets', { name: 'Broken', kind: 'view', sql: 'SELECT CAST(name AS INTEGER) AS n FROM deals' }), 201);
  const artifact = await expectOk(t, ws.client.post('/bi/scheduled-artifacts', { name: 'Broken', dataset_id: ds.id, cron: '0 8 * * 1', recipients: ['x@example.com'], subject: 'Broken run' }), 201);
  const handle = h.deps.temporal.schedule.getHandle(artifact.schedule_id);
  await waitUntil('the schedule to exist', () => handle.describe().catch(() => null), 60_000, 200);
  await handle.trigger();
  const failed = await waitUntil('the failure event', async () => (await h.events(ws.id, { type: 'bi.artifact.failed' }))[0], 120_000, 200);
  t.like(failed.payload, { artifact_id: artifact.id });
  t.regex(failed.payload.reason, /The export failed: .*(Conversion|convert)/i);
  t.false(smtp.mails.some((m) => m.mail.subject === 'Broken run'));
});
