// Finding a BI object of the caller's workspace: 404 for an unknown id or another workspace's,
// and, when a new object or a query is to use it, 409 resource_archived for an archived one.
import { LockMode, type EntitySchema } from '@mikro-orm/postgresql';
import { notFound, resourceArchived } from '../../../platform/errors.ts';
import type { TenantContext } from '../../../kernel/tenant.ts';
import { BiDashboardSchema, BiDatasetSchema, BiMetricSchema, BiReportSchema, type ObjectStatus } from '../entities.ts';

export const OBJECTS = {
  dataset: { schema: BiDatasetSchema, event: 'bi_dataset' },
  metric: { schema: BiMetricSchema, event: 'bi_metric' },
  report: { schema: BiReportSchema, event: 'bi_report' },
  dashboard: { schema: BiDashboardSchema, event: 'bi_dashboard' },
} as const;
export type ObjectKind = keyof typeof OBJECTS;

type Row = { id: string; workspace_id: string; status: ObjectStatus };
type EntityOf<K extends ObjectKind> = (typeof OBJECTS)[K]['schema'] extends EntitySchema<infer E, any> ? E : never;

export async function findObject<K extends ObjectKind>(ctx: TenantContext, kind: K, id: string, opts: { lock?: boolean } = {}): Promise<EntityOf<K>> {
  const schema = OBJECTS[kind].schema as unknown as EntitySchema<Row, never>;
  const row = await ctx.em.findOne(schema, { id, workspace_id: ctx.workspaceId }, opts.lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {});
  if (!row) throw notFound(kind, id);
  return row as unknown as EntityOf<K>;
}

/** An object a new object or a query will use: it must exist here and not be archived. */
export async function findUsable<K extends ObjectKind>(ctx: TenantContext, kind: K, id: string, field: string, opts: { lock?: boolean } = {}): Promise<EntityOf<K>> {
  const row = await findObject(ctx, kind, id, opts);
  if ((row as unknown as Row).status === 'archived') throw resourceArchived(kind, id, field);
  return row;
}
