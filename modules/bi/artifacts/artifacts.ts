// Scheduled artifacts: a report or dataset exported on a cron in a time zone and mailed to its
// recipients (the mail links a dashboard's page when the artifact subscribes to one). The row is
// the truth; every change commits with a command for the sync workflow, which makes the Temporal
// Schedule match it (create, update, pause, resume, delete), so a crash after the commit never
// leaves the Schedule behind for good.
import type { FilterQuery } from '@mikro-orm/postgresql';
import { LockMode } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import { newId } from '../../../platform/ids.ts';
import { notFound, validationFailed, type FieldProblem } from '../../../platform/errors.ts';
import type { TenantContext } from '../../../kernel/tenant.ts';
import { insertCreated, recordEvent } from '../../../kernel/outbox.ts';
import { enqueueWorkflow } from '../../../kernel/workflow-commands/enqueue.ts';
import { findPage, type Page } from '../../../kernel/pagination.ts';
import type { BodyOf, QueryOf } from '../../../api/operations.ts';
import { BI_IDS } from '../ids.ts';
import { BiScheduledArtifactSchema, type BiScheduledArtifact } from '../entities.ts';
import { findUsable } from '../objects/references.ts';
import { serializeArtifact, type ArtifactView } from '../serializers.ts';
import { scheduleProblems } from './rules.ts';
import { runTimes } from './schedule.ts';
import { ARTIFACT_RESYNC_SIGNAL, artifactSyncWorkflowId, type ArtifactInput } from './types.ts';

const view = async (temporal: Client, row: BiScheduledArtifact): Promise<ArtifactView> => ({ row, ...await runTimes(temporal, row) });

/** The sync workflow re-reads the row: a running sync gets a signal, else a new run starts. */
function syncSchedule(ctx: TenantContext, row: BiScheduledArtifact): void {
  const input: ArtifactInput = { workspaceId: ctx.workspaceId, artifactId: row.id };
  enqueueWorkflow(ctx, {
    workflowType: 'syncBiArtifactSchedule', workflowId: artifactSyncWorkflowId(row.id), resourceId: row.id, args: [input],
    reuse: 'allow_duplicate', signal: ARTIFACT_RESYNC_SIGNAL,
  });
}

export async function createArtifact(ctx: TenantContext, temporal: Client, input: BodyOf<'createBiScheduledArtifact'>): Promise<ArtifactView> {
  const timezone = input.timezone ?? 'UTC';
  const problems = scheduleProblems(input.cron, timezone);
  if (problems.length) throw validationFailed(problems);
  if (input.report_id !== undefined) await findUsable(ctx, 'report', input.report_id, 'report_id');
  if (input.dataset_id !== undefined) await findUsable(ctx, 'dataset', input.dataset_id, 'dataset_id');
  if (input.dashboard_id !== undefined) await findUsable(ctx, 'dashboard', input.dashboard_id, 'dashboard_id');
  const now = new Date();
  const row = ctx.em.create(BiScheduledArtifactSchema, {
    id: newId(BI_IDS.scheduledArtifact), workspace_id: ctx.workspaceId, name: input.name, description: input.description ?? null,
    status: input.status ?? 'active', report_id: input.report_id ?? null, dataset_id: input.dataset_id ?? null,
    dashboard_id: input.dashboard_id ?? null, format: input.format ?? 'csv',
    cron: input.cron, timezone, recipients: [...new Set(input.recipients.map((r) => r.toLowerCase()))], subject: input.subject ?? null,
    message: input.message ?? null, last_export_id: null, created_at: now, updated_at: now, archived_at: null,
  });
  const created = await view(temporal, row);
  await insertCreated(ctx, 'bi_scheduled_artifact', row, serializeArtifact(created));
  syncSchedule(ctx, row);
  return created;
}

export async function listArtifacts(ctx: TenantContext, temporal: Client, filters: QueryOf<'listBiScheduledArtifacts'>): Promise<Page<ArtifactView>> {
  const where: Record<string, unknown> = filters.status ? { status: filters.status } : { status: { $ne: 'archived' } };
  if (filters.report_id) where.report_id = filters.report_id;
  if (filters.dataset_id) where.dataset_id = filters.dataset_id;
  if (filters.dashboard_id) where.dashboard_id = filters.dashboard_id;
  const page = await findPage(ctx, BiScheduledArtifactSchema, 'bi_scheduled_artifacts', where as FilterQuery<BiScheduledArtifact>, filters);
  return { items: await Promise.all(page.items.map((row) => view(temporal, row))), next_cursor: page.next_cursor };
}

async function lockArtifact(ctx: TenantContext, id: string): Promise<BiScheduledArtifact> {
  const row = await ctx.em.findOne(BiScheduledArtifactSchema, { id, workspace_id: ctx.workspaceId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!row) throw notFound('scheduled_artifact', id);
  return row;
}

const OTHER_FIELDS = ['source_table', 'sql', 'columns', 'mock_rows', 'cards'] as const;

/** updateBiObject on scheduled-artifacts: metadata, schedule and delivery fields; status active/paused. */
export async function updateArtifact(ctx: TenantContext, temporal: Client, id: string, patch: BodyOf<'updateBiObject'>): Promise<ArtifactView> {
  const problems: FieldProblem[] = [];
  for (const f of OTHER_FIELDS) if (patch[f] !== undefined) problems.push({ field: f, problem: `applies to ${f === 'cards' ? 'dashboards' : 'datasets'} only` });
  if (patch.status === 'draft') problems.push({ field: 'status', problem: 'scheduled-artifacts take active or paused' });
  if (problems.length) throw validationFailed(problems);
  const row = await lockArtifact(ctx, id);
  const cron = patch.cron ?? row.cron;
  const timezone = patch.timezone ?? row.timezone;
  if (patch.cron !== undefined || patch.timezone !== undefined) {
    const bad = scheduleProblems(cron, timezone);
    if (bad.length) throw validationFailed(bad);
  }
  // A newly subscribed dashboard must be usable like a source; null unsubscribes.
  if (patch.dashboard_id && patch.dashboard_id !== row.dashboard_id) await findUsable(ctx, 'dashboard', patch.dashboard_id, 'dashboard_id');
  const next: Partial<BiScheduledArtifact> = {
    name: patch.name, description: patch.description, cron: patch.cron, timezone: patch.timezone, format: patch.format,
    subject: patch.subject, message: patch.message, dashboard_id: patch.dashboard_id,
    recipients: patch.recipients ? [...new Set(patch.recipients.map((r) => r.toLowerCase()))] : undefined,
  };
  let changed = false;
  const fields = row as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(next)) {
    if (value === undefined || JSON.stringify(value) === JSON.stringify(fields[key])) continue;
    fields[key] = value;
    changed = true;
  }
  if (patch.status !== undefined && patch.status !== row.status) {
    // active or paused on an archived artifact restores it (its Schedule is created again).
    row.status = patch.status as 'active' | 'paused';
    row.archived_at = null;
    changed = true;
  }
  if (!changed) return view(temporal, row);
  row.updated_at = new Date();
  await ctx.em.flush();
  const data = await view(temporal, row);
  recordEvent(ctx, { type: 'bi_scheduled_artifact.updated', resource_type: 'bi_scheduled_artifact', resource_id: id, payload: serializeArtifact(data) });
  syncSchedule(ctx, row);
  await ctx.em.flush();
  return data;
}

/** archiveBiObject on scheduled-artifacts: the Schedule is deleted; archiving twice changes nothing. */
export async function archiveArtifact(ctx: TenantContext, temporal: Client, id: string): Promise<ArtifactView> {
  const row = await lockArtifact(ctx, id);
  if (row.status === 'archived') return view(temporal, row);
  const now = new Date();
  Object.assign(row, { status: 'archived', archived_at: now, updated_at: now });
  await ctx.em.flush();
  const data = await view(temporal, row);
  recordEvent(ctx, { type: 'bi_scheduled_artifact.archived', resource_type: 'bi_scheduled_artifact', resource_id: id, payload: serializeArtifact(data) });
  syncSchedule(ctx, row);
  await ctx.em.flush();
  return data;
}
