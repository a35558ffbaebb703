// Operator commands over the product's workflows, on the Temporal client: a workspace's
// workflows with their status, one workflow with its failure and a link into the Temporal UI,
// and a retry through the product's own path (each module's RetrySpec), never by editing rows.
import { WorkflowFailedError, type Client } from '@temporalio/client';
import type { Config } from '../../platform/config.ts';
import type { MikroORM } from '../../platform/db.ts';
import { rootCauseMessage } from '../../platform/temporal.ts';
import { RESOURCE_ID, WORKSPACE_ID } from '../../platform/search-attributes.ts';
import { systemTenant } from '../../kernel/tenant.ts';
import { registry } from '../../app/modules.ts';
import type { CommandDispatcher } from '../../app/workflow-runner.ts';

export const WORKFLOW_STATUSES = ['running', 'completed', 'failed', 'canceled', 'terminated', 'timed_out', 'continued_as_new'] as const;
const VISIBILITY_STATUS: Record<string, string> = {
  running: 'Running', completed: 'Completed', failed: 'Failed', canceled: 'Canceled', terminated: 'Terminated', timed_out: 'TimedOut', continued_as_new: 'ContinuedAsNew',
};

export interface WorkflowRow { workflow_id: string; type: string; status: string; run_id: string; started_at: string | null; closed_at: string | null }

export async function listWorkflows(temporal: Client, workspaceId: string, status?: string, limit = 50): Promise<WorkflowRow[]> {
  if (!/^wrk_[A-Za-z0-9]+$/.test(workspaceId)) throw new Error(`"${workspaceId}" is not a workspace id (wrk_...).`);
  if (status && !VISIBILITY_STATUS[status]) throw new Error(`--status must be one of ${WORKFLOW_STATUSES.join(', ')}.`);
  const query = `WorkspaceId = "${workspaceId}"${status ? ` AND ExecutionStatus = "${VISIBILITY_STATUS[status]}"` : ''}`;
  const rows: WorkflowRow[] = [];
  for await (const wf of temporal.workflow.list({ query, pageSize: Math.min(limit, 100) })) {
    rows.push({
      workflow_id: wf.workflowId, type: wf.type, status: wf.status.name.toLowerCase(), run_id: wf.runId,
      started_at: wf.startTime?.toISOString() ?? null, closed_at: wf.closeTime?.toISOString() ?? null,
    });
    if (rows.length >= limit) break;
  }
  return rows;
}

export interface WorkflowDetail extends WorkflowRow {
  workspace_id: string | null;
  resource_id: string | null;
  request_id: string | null;
  failure: string | null;
  ui_url: string | null;
  retry: string | null;
}

export async function showWorkflow(temporal: Client, config: Config, workflowId: string): Promise<WorkflowDetail> {
  const handle = temporal.workflow.getHandle(workflowId);
  const d = await handle.describe();
  let failure: string | null = null;
  if (d.status.name === 'FAILED' || d.status.name === 'TERMINATED' || d.status.name === 'TIMED_OUT' || d.status.name === 'CANCELLED') {
    failure = await handle.result().then(() => null, (err: unknown) => (err instanceof WorkflowFailedError ? rootCauseMessage(err) : String(err)));
  }
  const ui = config.temporalUiUrl ? `${config.temporalUiUrl.replace(/\/$/, '')}/namespaces/${config.temporalNamespace}/workflows/${encodeURIComponent(workflowId)}/${d.runId}/history` : null;
  return {
    workflow_id: workflowId, type: d.type, status: d.status.name.toLowerCase(), run_id: d.runId,
    started_at: d.startTime?.toISOString() ?? null, closed_at: d.closeTime?.toISOString() ?? null,
    workspace_id: d.typedSearchAttributes.get(WORKSPACE_ID) ?? null,
    resource_id: d.typedSearchAttributes.get(RESOURCE_ID) ?? null,
    request_id: (d.memo?.request_id as string | undefined) ?? null,
    failure, ui_url: ui,
    retry: registry.retries.get(d.type)?.description ?? null,
  };
}

/**
 * Retries a run through its module's own path: a failed (or terminated) run, or, where the module
 * records the outcome on its resource (an export, a delivery), a run whose resource failed.
 */
export async function retryWorkflow(temporal: Client, config: Config, orm: MikroORM, dispatcher: CommandDispatcher, workflowId: string) {
  const detail = await showWorkflow(temporal, config, workflowId);
  const spec = registry.retries.get(detail.type);
  if (!spec) throw new Error(`Workflows of type ${detail.type} have no retry: ${[...registry.retries.keys()].join(', ')} do.`);
  if (!spec.resourceDecides && (detail.status === 'running' || detail.status === 'completed')) {
    throw new Error(`${workflowId} is ${detail.status}: only a failed, terminated, canceled or timed-out run is retried.`);
  }
  if (!detail.workspace_id || !detail.resource_id) throw new Error(`${workflowId} carries no WorkspaceId/ResourceId search attributes.`);
  const ctx = systemTenant(orm.em.fork(), detail.workspace_id, registry.resources);
  return spec.retry(ctx, dispatcher, { workflowId, runId: detail.run_id, resourceId: detail.resource_id, status: detail.status });
}
