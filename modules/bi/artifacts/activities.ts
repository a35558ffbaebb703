// The scheduled-artifact workflows' activities: make the Schedule match the row, record a run's
// export, deliver it (mail + event), record a failure. Each is idempotent or keyed by the run.
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { LockMode } from '@mikro-orm/postgresql';
import { ApiError } from '../../../platform/errors.ts';
import { systemTenant, type TenantContext } from '../../../kernel/tenant.ts';
import { recordEvent } from '../../../kernel/outbox.ts';
import type { ActivityDeps } from '../../manifest.ts';
import { biEngine } from '../engine.ts';
import { BiDashboardSchema, BiExportSchema, BiReportSchema, BiScheduledArtifactSchema } from '../entities.ts';
import { runQuery } from '../query/run.ts';
import { chartSpec, chartSvg, svgToPng } from '../charts/chart.ts';
import { signedPagePath, type PageClaim } from '../pages/signing.ts';
import { createExport } from '../exports/exports.ts';
import { exportStorage } from '../exports/storage.ts';
import { ATTACH_MAX_BYTES, composeMail, reportLink, sendMail, type DashboardLink } from './mail.ts';
import { applySchedule } from './schedule.ts';
import { markAttempt, markSent, planMails } from './mail-ledger.ts';
import { ARTIFACT_DELIVERY_FAILED, type ArtifactInput, type RunOutcome } from './types.ts';
import { inTransaction } from '../../../platform/transaction.ts';

/** How often a delivery reports it is alive (the workflow's heartbeat timeout is a few times this). */
const MAIL_HEARTBEAT_MS = 2_000;

export function createArtifactActivities(deps: ActivityDeps) {
  const storage = exportStorage(deps);
  const tenant = (input: ArtifactInput, em = deps.orm.em.fork()) => systemTenant(em, input.workspaceId, deps.resources, null);
  const inTx = <T>(input: ArtifactInput, work: (ctx: TenantContext) => Promise<T>) => inTransaction(deps.orm.em.fork(), (em) => work(tenant(input, em)));
  const failure = (ctx: TenantContext, input: ArtifactInput, exportId: string | null, reason: string) => recordEvent(ctx, {
    type: 'bi.artifact.failed', resource_type: 'bi_scheduled_artifact', resource_id: input.artifactId,
    payload: { artifact_id: input.artifactId, export_id: exportId, reason },
  });

  /** The report's chart as a PNG (null: no chart for its visualization, or the report no longer runs). */
  const reportChart = async (ctx: TenantContext, reportId: string): Promise<Buffer | null> => {
    const report = await ctx.em.findOne(BiReportSchema, { id: reportId, workspace_id: ctx.workspaceId });
    if (!report) return null;
    try {
      const result = await runQuery(ctx, biEngine(deps), { report_id: reportId, row_limit: report.row_limit });
      const spec = chartSpec({ visualization: report.visualization, title: report.name, columns: result.columns, rows: result.rows });
      return spec ? await svgToPng(await chartSvg(spec)) : null;
    } catch (err) {
      deps.logger.warn({ err, reportId }, 'report chart not drawn');
      return null;
    }
  };

  /** A page's signed link on PUBLIC_URL, valid as long as the download link. */
  const pageLink = (input: ArtifactInput, kind: PageClaim['kind'], id: string, expiresAt: Date) =>
    new URL(signedPagePath(deps.config.cursorSecret, { kind, id, workspaceId: input.workspaceId, expiresAt }), deps.config.publicUrl).toString();

  /** The subscribed dashboard's name and link; null when none, or when it was archived since (its page would refuse). */
  const dashboardLink = async (ctx: TenantContext, input: ArtifactInput, dashboardId: string, expiresAt: Date): Promise<DashboardLink | null> => {
    const dashboard = await ctx.em.findOne(BiDashboardSchema, { id: dashboardId, workspace_id: input.workspaceId });
    if (!dashboard || dashboard.status === 'archived') {
      deps.logger.warn({ artifactId: input.artifactId, dashboardId }, 'the subscribed dashboard is archived or gone: the mail does not link it');
      return null;
    }
    return { name: dashboard.name, url: pageLink(input, 'dashboard', dashboard.id, expiresAt) };
  };

  return {
    async applyBiArtifactSchedule(input: ArtifactInput): Promise<string> {
      const row = await tenant(input).em.findOne(BiScheduledArtifactSchema, { id: input.artifactId, workspace_id: input.workspaceId });
      return applySchedule(Context.current().client, deps.config.temporalTaskQueue, row, input.artifactId);
    },

    /** The run's export, recorded once per run (`runKey`: the run's workflow id); skipped unless the artifact is active. */
    async startBiArtifactExport(input: ArtifactInput, runKey: string): Promise<{ state: 'started'; exportId: string } | { state: 'skipped'; reason: string }> {
      const engine = biEngine(deps);
      await engine.catalog();
      try {
        return await inTx(input, async (ctx) => {
          const artifact = await ctx.em.findOne(BiScheduledArtifactSchema, { id: input.artifactId, workspace_id: input.workspaceId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
          if (!artifact || artifact.status !== 'active') return { state: 'skipped' as const, reason: `the artifact is ${artifact?.status ?? 'gone'}` };
          const existing = await ctx.em.findOne(BiExportSchema, { workspace_id: input.workspaceId, schedule_run: runKey });
          if (existing) return { state: 'started' as const, exportId: existing.id };
          const exp = await createExport(ctx, engine, {
            format: artifact.format, report_id: artifact.report_id ?? undefined, dataset_id: artifact.dataset_id ?? undefined,
            scheduled_artifact_id: artifact.id, schedule_run: runKey,
          }, { enqueue: false });
          artifact.last_export_id = exp.id;
          await ctx.em.flush();
          return { state: 'started' as const, exportId: exp.id };
        });
      } catch (err) {
        if (!(err instanceof ApiError) || err.status >= 500) throw err;
        // The source was archived or changed since the schedule was made: this run cannot export.
        await inTx(input, async (ctx) => { failure(ctx, input, null, err.message); await ctx.em.flush(); });
        return { state: 'skipped', reason: err.message };
      }
    },

    async deliverBiArtifact(input: ArtifactInput, exportId: string): Promise<RunOutcome> {
      const ctx = tenant(input);
      const artifact = await ctx.em.findOneOrFail(BiScheduledArtifactSchema, { id: input.artifactId, workspace_id: input.workspaceId });
      const exp = await ctx.em.findOneOrFail(BiExportSchema, { id: exportId, workspace_id: input.workspaceId });
      if (exp.status !== 'succeeded') {
        const reason = `The export failed: ${exp.error?.message ?? exp.status}`;
        await inTx(input, async (tx) => { failure(tx, input, exportId, reason); await tx.em.flush(); });
        return { state: 'failed', exportId, reason };
      }
      const smtpUrl = deps.config.smtpUrl;
      if (!smtpUrl) throw ApplicationFailure.nonRetryable('SMTP_URL is not configured: the report cannot be mailed', ARTIFACT_DELIVERY_FAILED);
      // The ledger first: a retry after every recipient was served (and the delivery recorded) has nothing left to do.
      const mails = await inTx(input, (tx) => planMails(tx.em, input.workspaceId, exportId, artifact.recipients));
      if (mails.every((m) => m.sentAt)) return { state: 'delivered', exportId, reason: null };
      const link = await reportLink(storage, exp);
      let attachment: Buffer | null = null;
      if ((exp.byte_size ?? Infinity) <= ATTACH_MAX_BYTES) {
        const object = await storage.s3.send(new GetObjectCommand({ Bucket: storage.bucket, Key: exp.object_key }));
        attachment = Buffer.from(await object.Body!.transformToByteArray());
      }
      const chart = artifact.report_id ? await reportChart(ctx, artifact.report_id) : null;
      const pageUrl = artifact.report_id ? pageLink(input, 'report', artifact.report_id, link.expiresAt) : null;
      const dashboard = artifact.dashboard_id ? await dashboardLink(ctx, input, artifact.dashboard_id, link.expiresAt) : null;
      const mail = composeMail({ artifact, exp, link, attachment, from: deps.config.mailFrom, chart, pageUrl, dashboard });
      // Heartbeats while mailing: a worker that dies mid-delivery is replaced within the heartbeat timeout.
      const context = Context.current();
      const beat = setInterval(() => context.heartbeat(), MAIL_HEARTBEAT_MS);
      try {
        for (const entry of mails) {
          if (entry.sentAt) continue;
          await inTx(input, (tx) => markAttempt(tx.em, input.workspaceId, exportId, entry.recipient));
          await sendMail(smtpUrl, { ...mail, to: entry.recipient, messageId: entry.messageId });
          await inTx(input, async (tx) => {
            if (!(await markSent(tx.em, input.workspaceId, exportId, entry.recipient))) return;
            recordEvent(tx, {
              type: 'bi.artifact.delivered', resource_type: 'bi_scheduled_artifact', resource_id: artifact.id,
              payload: {
                artifact_id: artifact.id, export_id: exp.id, recipients: mails.map((m) => m.recipient), file_name: exp.file_name, format: exp.format,
                row_count: exp.row_count, byte_size: exp.byte_size, download_url: link.url, download_expires_at: link.expiresAt.toISOString(),
                report_page_url: pageUrl, dashboard_page_url: dashboard?.url ?? null,
              },
            });
            await tx.em.flush();
          });
        }
      } finally {
        clearInterval(beat);
      }
      return { state: 'delivered', exportId, reason: null };
    },

    recordBiArtifactFailure: (input: ArtifactInput, exportId: string | null, reason: string) =>
      inTx(input, async (ctx) => { failure(ctx, input, exportId, reason); await ctx.em.flush(); }),
  };
}

export type ArtifactActivities = ReturnType<typeof createArtifactActivities>;
