// The biExport workflow's activities, as the workspace and the request that asked for the export.
// A 4xx ApiError (the source archived or gone since the request, SQL refused) is final: a
// non-retryable BiExportRefused carrying its code. Anything else is retried by Temporal.
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { ApiError } from '../../../platform/errors.ts';
import { sql } from '../../../platform/db.ts';
import { systemTenant, type TenantContext } from '../../../kernel/tenant.ts';
import type { ActivityDeps } from '../../manifest.ts';
import { biEngine } from '../engine.ts';
import type { ExportError } from '../entities.ts';
import { expireExport, failExport, runExport } from './run.ts';
import { exportStorage } from './storage.ts';
import { EXPORT_PROGRESS_SIGNAL, EXPORT_REFUSED, exportWorkflowId, type BiExportInput, type ExportProgress } from './types.ts';
import { inTransaction } from '../../../platform/transaction.ts';

/** How often a running export reports its progress (heartbeat, row, workflow). */
const REPORT_EVERY_MS = 1000;
const HEARTBEAT_EVERY_MS = 5000;

export function createExportActivities(deps: ActivityDeps) {
  const storage = exportStorage(deps);
  const tenant = (input: BiExportInput, em = deps.orm.em.fork()) => systemTenant(em, input.workspaceId, deps.resources, input.requestId);
  const inTx = <T>(input: BiExportInput, work: (ctx: TenantContext) => Promise<T>) => inTransaction(deps.orm.em.fork(), (em) => work(tenant(input, em)));

  return {
    async runBiExport(input: BiExportInput) {
      const context = Context.current();
      let last = 0;
      let reporting: Promise<void> = Promise.resolve();
      let latest: ExportProgress = { status: 'running', progress: 0, rows_written: 0, planned_rows: null };
      // Writing, hashing and uploading the file report no rows: the beat goes on meanwhile, so only
      // a dead worker misses the heartbeat timeout.
      const beat = setInterval(() => context.heartbeat(latest), HEARTBEAT_EVERY_MS);
      let trailing: NodeJS.Timeout | null = null;
      const publish = (p: ExportProgress) => {
        last = Date.now();
        // One report in flight at a time; the next waits behind it.
        reporting = reporting.then(() => publishProgress(input, p)).catch((err) => deps.logger.warn({ err, exportId: input.exportId }, 'export progress not published'));
      };
      const report = (p: ExportProgress) => {
        latest = p;
        context.heartbeat(p);
        const wait = REPORT_EVERY_MS - (Date.now() - last);
        if (wait <= 0 || p.progress === 0) { publish(p); return; }
        // Throttled: the latest report goes out when the interval ends, so the last one of a phase
        // (95 % before a long upload) is never dropped and the column moves while the file uploads.
        trailing ??= setTimeout(() => { trailing = null; publish(latest); }, wait);
      };
      const publishProgress = async (i: BiExportInput, p: ExportProgress) => {
        await sql(deps.orm.em.fork(),
          `update bi_exports set progress = ?, updated_at = now() where workspace_id = ? and id = ? and status = 'running' and progress < ?`,
          [p.progress, i.workspaceId, i.exportId, p.progress]);
        await context.client.workflow.getHandle(exportWorkflowId(i.exportId)).signal(EXPORT_PROGRESS_SIGNAL, p);
      };
      try {
        const done = await runExport({ engine: biEngine(deps), storage, inTx: (work) => inTx(input, work), reader: () => tenant(input), progress: report }, input.exportId);
        if (trailing) clearTimeout(trailing);
        await reporting;
        return done;
      } catch (err) {
        throw refusal(err);
      } finally {
        clearInterval(beat);
        if (trailing) clearTimeout(trailing);
      }
    },
    failBiExport: (input: BiExportInput, error: ExportError) => inTx(input, (ctx) => failExport(ctx, input.exportId, error)),
    expireBiExport: (input: BiExportInput) => inTx(input, (ctx) => expireExport(ctx, storage, input.exportId)),
  };
}

/** A client error is the export's final answer, with a message naming what was wrong. */
function refusal(err: unknown): unknown {
  if (!(err instanceof ApiError) || err.status >= 500) return err;
  return ApplicationFailure.nonRetryable(err.message, EXPORT_REFUSED, { code: err.code });
}

export type ExportActivities = ReturnType<typeof createExportActivities>;
