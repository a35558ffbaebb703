// The publishing workflows' activities: each reads or publishes in one transaction, as the
// workspace (no request: the schedule's own moment caused it).
import { asActivityFailure } from '../../../kernel/activity-failure.ts';
import { systemTenant, type TenantContext } from '../../../kernel/tenant.ts';
import type { ActivityDeps } from '../../manifest.ts';
import { entrySchedule, postSchedule, publishDueEntry, publishDuePost } from './publications.ts';
import type { PublishOutcome, ScheduledPublication } from './types.ts';
import { inTransaction } from '../../../platform/transaction.ts';

export interface DuePublication extends ScheduledPublication { dueAt: string }

export function createPublishingActivities(deps: ActivityDeps) {
  const inTx = async <T>(input: ScheduledPublication, work: (ctx: TenantContext) => Promise<T>): Promise<T> => {
    try {
      return await inTransaction(deps.orm.em.fork(), (em) => work(systemTenant(em, input.workspaceId, deps.resources)));
    } catch (err) {
      throw asActivityFailure(err);
    }
  };
  return {
    readCmsEntrySchedule: (input: ScheduledPublication): Promise<string | null> => inTx(input, (ctx) => entrySchedule(ctx, input.id)),
    publishDueCmsEntry: (input: DuePublication): Promise<PublishOutcome> => inTx(input, (ctx) => publishDueEntry(ctx, input.id, input.dueAt)),
    readMarketingPostSchedule: (input: ScheduledPublication): Promise<string | null> => inTx(input, (ctx) => postSchedule(ctx, input.id)),
    publishDueMarketingPost: (input: DuePublication): Promise<PublishOutcome> => inTx(input, (ctx) => publishDuePost(ctx, input.id, input.dueAt)),
  };
}

export type PublishingActivities = ReturnType<typeof createPublishingActivities>;
