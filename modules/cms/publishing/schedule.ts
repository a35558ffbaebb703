// Asking for scheduled publishing, in the unit of work that sets or changes the schedule: one
// workflow per entry (post) that signal-with-starts, so a moved or cancelled schedule wakes the
// run already waiting instead of queueing behind it. The database holds the schedule; the
// workflow reads it.
import type { TenantContext } from '../../../kernel/tenant.ts';
import { enqueueWorkflow } from '../../../kernel/workflow-commands/enqueue.ts';
import { RESCHEDULE_SIGNAL, entryPublishWorkflowId, postPublishWorkflowId, type ScheduledPublication } from './types.ts';

const command = (ctx: TenantContext, workflowType: string, workflowId: string, id: string) => {
  const input: ScheduledPublication = { workspaceId: ctx.workspaceId, id };
  // A finished run (published, or unscheduled) leaves the id free for the next schedule.
  enqueueWorkflow(ctx, { workflowType, workflowId, resourceId: id, args: [input], reuse: 'allow_duplicate', signal: RESCHEDULE_SIGNAL });
};

export const requestEntryPublishing = (ctx: TenantContext, entryId: string) =>
  command(ctx, 'publishCmsEntry', entryPublishWorkflowId(entryId), entryId);

export const requestPostPublishing = (ctx: TenantContext, postId: string) =>
  command(ctx, 'publishMarketingPost', postPublishWorkflowId(postId), postId);
