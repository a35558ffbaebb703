// updateBiObject / archiveBiObject: one path for the BI collections. Each collection says which
// fields it takes; a field of another collection answers 422 naming it. Scheduled artifacts
// belong to the BI delivery work (issue 14): until it lands, no id of that collection exists.
import { notFound, validationFailed, type FieldProblem } from '../../../platform/errors.ts';
import type { TenantContext } from '../../../kernel/tenant.ts';
import { recordEvent } from '../../../kernel/outbox.ts';
import type { BodyOf, PathOf, Schema } from '../../../api/operations.ts';
import type { BiEngine } from '../engine/engine.ts';
import type { BiDashboard, BiDataset, BiMetric, BiReport, ObjectStatus } from '../entities.ts';
import { serializeDashboard, serializeDataset, serializeMetric, serializeReport } from '../serializers.ts';
import { findObject, OBJECTS, type ObjectKind } from './references.ts';
import { redefineDataset } from './datasets.ts';
import { dashboardView, relayDashboard } from './dashboards.ts';
import { reportView } from './reports.ts';

type Collection = PathOf<'updateBiObject'>['collection'];
type Patch = BodyOf<'updateBiObject'>;
type AnyObject = BiDataset | BiMetric | BiReport | BiDashboard;

const KIND_OF: Record<Collection, ObjectKind | null> = {
  dashboards: 'dashboard', datasets: 'dataset', reports: 'report', metrics: 'metric', 'scheduled-artifacts': null,
};

const SCHEDULE_FIELDS = ['cron', 'timezone', 'recipients', 'format', 'subject', 'message', 'dashboard_id'] as const;
const DATASET_FIELDS = ['source_table', 'sql', 'columns', 'mock_rows'] as const;
const DASHBOARD_FIELDS = ['cards'] as const;

export async function updateObject(ctx: TenantContext, engine: BiEngine, collection: Collection, id: string, patch: Patch): Promise<Schema<'BiObject'>> {
  const kind = KIND_OF[collection];
  if (!kind) throw notFound('scheduled_artifact', id);
  const problems: FieldProblem[] = [];
  const refuse = (fields: readonly (keyof Patch)[], only: string) => {
    for (const f of fields) if (patch[f] !== undefined) problems.push({ field: f, problem: `applies to ${only} only` });
  };
  refuse(SCHEDULE_FIELDS, 'scheduled-artifacts');
  if (kind !== 'dataset') refuse(DATASET_FIELDS, 'datasets');
  if (kind !== 'dashboard') refuse(DASHBOARD_FIELDS, 'dashboards');
  if (patch.status === 'paused') problems.push({ field: 'status', problem: `paused applies to scheduled-artifacts; ${collection} take draft or active` });
  if (problems.length) throw validationFailed(problems);

  const object = await findObject(ctx, kind, id, { lock: true }) as AnyObject;
  let changed = false;
  if (patch.name !== undefined && patch.name !== object.name) { object.name = patch.name; changed = true; }
  if (patch.description !== undefined && patch.description !== object.description) { object.description = patch.description; changed = true; }
  if (patch.status !== undefined && patch.status !== object.status) {
    // draft or active on an archived object restores it.
    object.status = patch.status as ObjectStatus;
    object.archived_at = null;
    changed = true;
  }
  if (kind === 'dataset' && await redefineDataset(ctx, engine, object as BiDataset, patch)) changed = true;
  if (kind === 'dashboard' && patch.cards !== undefined) { await relayDashboard(ctx, object as BiDashboard, patch.cards); changed = true; }

  const data = async () => serialize(ctx, kind, object);
  if (!changed) return data();
  object.updated_at = new Date();
  await ctx.em.flush();
  const payload = await data();
  recordEvent(ctx, { type: `${OBJECTS[kind].event}.updated`, resource_type: OBJECTS[kind].event, resource_id: id, payload });
  await ctx.em.flush();
  return payload;
}

/** Archiving an archived object changes nothing and answers it as it is. */
export async function archiveObject(ctx: TenantContext, collection: Collection, id: string): Promise<Schema<'BiObject'>> {
  const kind = KIND_OF[collection];
  if (!kind) throw notFound('scheduled_artifact', id);
  const object = await findObject(ctx, kind, id, { lock: true }) as AnyObject;
  if (object.status === 'archived') return serialize(ctx, kind, object);
  const now = new Date();
  Object.assign(object, { status: 'archived', archived_at: now, updated_at: now });
  await ctx.em.flush();
  const payload = await serialize(ctx, kind, object);
  recordEvent(ctx, { type: `${OBJECTS[kind].event}.archived`, resource_type: OBJECTS[kind].event, resource_id: id, payload });
  await ctx.em.flush();
  return payload;
}

async function serialize(ctx: TenantContext, kind: ObjectKind, object: AnyObject): Promise<Schema<'BiObject'>> {
  switch (kind) {
    case 'dataset': return serializeDataset(object as BiDataset);
    case 'metric': return serializeMetric(object as BiMetric);
    case 'report': return serializeReport(await reportView(ctx, object as BiReport));
    case 'dashboard': return serializeDashboard(await dashboardView(ctx, object as BiDashboard));
  }
}
