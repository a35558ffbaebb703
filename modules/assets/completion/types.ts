// Shapes shared by the completeAssetUpload workflow, its activities and the API (types only, so
// the workflow bundle imports nothing at run time from here).
import type { AssetFailure, AssetMetadata, AssetStatus } from '../entities.ts';

export interface CompleteAssetInput {
  workspaceId: string;
  assetId: string;
  /** The API request that asked for the completion: on the workflow memo and its events. */
  requestId: string | null;
  /** The workflow command that asked for it: only its runs may change the asset. */
  commandId: string;
}

/** What inspection found about the uploaded object (pinned to its ETag from then on). */
export interface InspectedUpload {
  /** This completion no longer owns the asset (it is available, failed or archived): nothing left to do. */
  done: boolean;
  status: AssetStatus;
  /** Where the client uploaded, and where the verified bytes go. */
  uploadKey: string;
  objectKey: string;
  etag: string;
  byteSize: number;
  /** The SHA-256 S3 verified as the bytes arrived, when the upload carried one. */
  storedChecksum: string | null;
  /** The SHA-256 the completion must match (declared at intent or completion), if any. */
  expectedChecksum: string | null;
  metadata: AssetMetadata;
}

export interface VerifiedUpload { byteSize: number; checksum: string | null; metadata: AssetMetadata }

export interface CompleteAssetResult { asset_id: string; status: AssetStatus }

export const completionWorkflowId = (assetId: string) => `asset-complete-${assetId}`;

/** The workflow's failure type when the bytes did not pass: details[0] is the AssetFailure. */
export const UPLOAD_REJECTED = 'AssetUploadRejected';
/** The activity failure type of a verification rule (details[0] is the AssetFailure). */
export const VERIFICATION_FAILED = 'AssetVerificationFailed';

export type { AssetFailure };
