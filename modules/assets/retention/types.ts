// Shapes shared by the assetRetention workflow, its activity and the archive request (types only).
export interface AssetRetentionInput {
  workspaceId: string;
  assetId: string;
  /** When the object goes (ISO 8601): archived_at plus the retention period. */
  purgeAfter: string;
  requestId: string | null;
}

export const retentionWorkflowId = (assetId: string) => `asset-retention-${assetId}`;
