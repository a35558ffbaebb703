// What the publishing workflows and their activities exchange, and their ids.
export interface ScheduledPublication { workspaceId: string; id: string }

/** published: done now; moved: the schedule changed (read it again); not_scheduled: nothing to do. */
export type PublishOutcome = 'published' | 'moved' | 'not_scheduled';

/** Sent (with a start when none runs) whenever a schedule changes: the workflow reads it again. */
export const RESCHEDULE_SIGNAL = 'reschedule';

export const entryPublishWorkflowId = (entryId: string) => `cms-publish-${entryId}`;
export const postPublishWorkflowId = (postId: string) => `marketing-post-${postId}`;
