// Shapes and names shared by the scheduled-artifact workflows, their activities and the requests
// (types only, so the workflow bundle loads nothing else).
export interface ArtifactInput { workspaceId: string; artifactId: string }

/** The Temporal Schedule of an artifact; each run's workflow id is this plus the scheduled time. */
export const artifactScheduleId = (artifactId: string) => `bi-artifact-${artifactId}`;
/** The workflow that makes the Schedule match the artifact's row (create, update, pause, delete). */
export const artifactSyncWorkflowId = (artifactId: string) => `bi-artifact-sync-${artifactId}`;
export const ARTIFACT_RESYNC_SIGNAL = 'resync';
/** What biExport signals the scheduled run that started it, once the export succeeded or failed. */
export const EXPORT_SETTLED_SIGNAL = 'exportSettled';
export const ARTIFACT_DELIVERY_FAILED = 'BiArtifactDeliveryFailed';

export type RunOutcome = { state: 'skipped'; reason: string } | { state: 'delivered' | 'failed'; exportId: string; reason: string | null };
