// An operator's retry of a failed export (`slab5 workflow retry bi-export-<exp_id>`): the biExport
// workflow completes whatever became of the export, so the row says whether there is anything to
// retry. Under the row's lock the export goes back to `queued` (its error cleared,
// `bi_export.retried`) with the command of a new run, in one transaction, as a request does.
import { LockMode } from '@mikro-orm/postgresql';
import { notFound, ruleViolation } from '../../../platform/errors.ts';
import { withEm, type TenantContext } from '../../../kernel/tenant.ts';
import { recordEvent } from '../../../kernel/outbox.ts';
import { enqueueWorkflow } from '../../../kernel/workflow-commands/enqueue.ts';
import type { WorkflowRunner } from '../../../kernel/workflow-commands/runner.ts';
import { runEndedUnsettled, type RetryRun } from '../../manifest.ts';
import { BiExportSchema } from '../entities.ts';
import { serializeExport } from '../serializers.ts';
import type { BiExportInput } from './types.ts';
import { inTransaction } from '../../../platform/transaction.ts';

export async function retryExport(ctx: TenantContext, workflows: WorkflowRunner, run: RetryRun): Promise<{ workflowId: string; runId: string | null }> {
  const exportId = run.resourceId;
  const command = await inTransaction(ctx.em, async (em) => {
    const tx = withEm(ctx, em);
    const row = await em.findOne(BiExportSchema, { id: exportId, workspace_id: ctx.workspaceId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!row) throw notFound('bi_export', exportId);
    const stranded = (row.status === 'queued' || row.status === 'running') && runEndedUnsettled(run);
    if (row.status !== 'failed' && !stranded) {
      throw ruleViolation('export_id', row.status === 'succeeded'
        ? `Export ${exportId} succeeded: there is nothing to retry (its file is listed by listBiExports until it expires).`
        : `Export ${exportId} is ${row.status} and its run is ${run.status}: only a failed export is retried.`);
    }
    const now = new Date();
    Object.assign(row, {
      status: 'queued', progress: 0, error: null, planned_rows: null, row_count: null, byte_size: null, sha256: null,
      started_at: null, completed_at: null, expires_at: null, updated_at: now,
    });
    await em.flush();
    recordEvent(tx, { type: 'bi_export.retried', resource_type: 'bi_export', resource_id: row.id, payload: serializeExport({ row, download: null }) });
    const args: BiExportInput = { workspaceId: ctx.workspaceId, exportId, requestId: ctx.requestId };
    // Two retries of the same run are one: the second joins the run the first started.
    const id = enqueueWorkflow(tx, {
      workflowType: 'biExport', workflowId: row.workflow_id, resourceId: exportId, args: [args], reuse: 'allow_duplicate', dedupKey: `retry-of-${run.runId}`,
    });
    await em.flush();
    return { id, workflowId: row.workflow_id };
  });
  const runId = (await workflows.dispatch([command.id])).get(command.id) ?? null;
  return { workflowId: command.workflowId, runId };
}
