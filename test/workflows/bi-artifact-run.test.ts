// A scheduled artifact's run in Temporal's time-skipping test server, with the real activities
// against the harness's database, DuckDB and S3 and an SMTP server started by this test. That
// server has no Schedules (CreateSchedule answers UNIMPLEMENTED, checked below), so the run is
// started as the artifact's Schedule starts it (workflow type, id, input); the Schedule itself is
// tested on the dev server (test/bi/artifact-delivery.test.ts, scheduled-artifacts.test.ts). The
// run exports the report (the child biExport, whose 7-day expiry timer then runs) and the mail
// arrives with the chart. Serial: time skips for the whole server.
import test from 'ava';
import { fileURLToPath } from 'node:url';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createExportActivities } from '../../modules/bi/exports/activities.ts';
import { createArtifactActivities } from '../../modules/bi/artifacts/activities.ts';
import type { ArtifactInput } from '../../modules/bi/artifacts/types.ts';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { harnessActivityDeps, runningTimeSkippingWorker } from '../helpers/time-skipping.ts';
import { waitUntil } from '../leads/helpers.ts';
import { dealsWorkspace, expectOk, pipelineReport } from '../bi/helpers.ts';
import { barsIn } from '../bi/page-pixels.ts';
import { startSmtpInbox, type SmtpInbox } from '../helpers/smtp-inbox.ts';

const workflowsPath = fileURLToPath(new URL('../../modules/bi/workflows.ts', import.meta.url));
const queue = 'bi-artifact-run-timers';
let smtp: SmtpInbox;
let h: Harness;
let env: TestWorkflowEnvironment;
let stopWorker: (() => Promise<void>) | undefined;

test.before(async () => {
  smtp = await startSmtpInbox();
  h = await bootHarness();
  const config = { ...h.config, smtpUrl: smtp.url, temporalTaskQueue: queue };
  const deps = harnessActivityDeps(h, config);
  ({ env, stop: stopWorker } = await runningTimeSkippingWorker(queue, workflowsPath, { ...createExportActivities(deps), ...createArtifactActivities(deps) }));
});
test.after.always(async () => {
  await stopWorker?.();
  await h?.close();
  await smtp?.close();
});

test('the time-skipping server has no Schedules: CreateSchedule is unimplemented there', async (t) => {
  const err = await t.throwsAsync(env.client.schedule.create({
    scheduleId: 'probe', spec: { cronExpressions: ['0 8 * * 1'] }, action: { type: 'startWorkflow', workflowType: 'biArtifactRun', taskQueue: queue, args: [] },
  }));
  t.regex(String((err as { cause?: Error }).cause?.message ?? err?.message), /CreateSchedule is unimplemented/);
});

test.serial('a run started as the Schedule starts it exports the report as its child and the mail arrives with the chart (not linking a dashboard archived since)', async (t) => {
  const ws = await dealsWorkspace(h, 6);
  const { report } = await pipelineReport(t, ws);
  const dashboard = await expectOk(t, ws.client.post('/bi/dashboards', { name: 'Retired board', cards: [{ report_id: report.id }] }), 201);
  const artifact = await expectOk(t, ws.client.post('/bi/scheduled-artifacts', {
    name: 'Weekly pipeline', report_id: report.id, dashboard_id: dashboard.id, cron: '0 8 * * 1', recipients: ['lead@example.com'], subject: 'Pipeline, time-skipped',
  }), 201);
  // Its page would answer 403 now: the run still delivers the export, without the dashboard's link.
  await expectOk(t, ws.client.call('DELETE', `/bi/dashboards/${dashboard.id}`));

  const input: ArtifactInput = { workspaceId: ws.id, artifactId: artifact.id };
  const handle = await env.client.workflow.start('biArtifactRun', { taskQueue: queue, workflowId: `bi-artifact-${artifact.id}-2026-12-07T07:00:00Z`, args: [input] });
  try {
    const outcome = await handle.result();
    t.like(outcome, { state: 'delivered', reason: null });
    const mail = await waitUntil('the mail', async () => smtp.mails.find((m) => m.mail.subject === 'Pipeline, time-skipped')?.mail, 60_000, 200);
    const [run] = await h.sql('select id, status, row_count from bi_exports where scheduled_artifact_id = ?', [artifact.id]);
    t.like(run, { id: (outcome as { exportId: string }).exportId, status: 'succeeded', row_count: 3 });
    const [chart] = mail.attachments;
    t.like(chart, { contentType: 'image/png', cid: 'chart@slab5' });
    t.is(barsIn(chart!.content).length, 3, 'the chart in the mail draws one bar per stage');
    t.regex(mail.text ?? '', /Download Pipeline by stage\.csv \(3 rows/);
    t.regex(mail.text ?? '', /Open the report: \S+/);
    t.notRegex(`${mail.text}\n${mail.html}`, /dashboard/i);
    t.like((await h.events(ws.id, { type: 'bi.artifact.delivered' }))[0]?.payload, { artifact_id: artifact.id, recipients: ['lead@example.com'], dashboard_page_url: null });
  } finally {
    await env.client.workflow.getHandle(`bi-export-${(await h.sql('select id from bi_exports where scheduled_artifact_id = ?', [artifact.id]))[0]?.id}`).terminate('its expiry timer is another test\'s').catch(() => undefined);
  }
});
