// Where an export's file lives in S3 and how it is handed out: the assets module's storage
// helpers (presigned GET with the file name as the attachment's, idempotent deletes), under a
// key built from ids only.
import type { S3Client } from '@aws-sdk/client-s3';
import type { Config } from '../../../platform/config.ts';
import { assetStorage, deleteObjects, presignDownload, type AssetStorage } from '../../assets/storage.ts';
import type { BiExport } from '../entities.ts';
import { MIME_TYPES } from './formats.ts';

export type ExportStorage = AssetStorage;
export const exportStorage = (deps: { s3: S3Client; config: Config }): ExportStorage => assetStorage(deps);

export const exportObjectKey = (workspaceId: string, exportId: string) => `workspaces/${workspaceId}/bi-exports/${exportId}/file`;

/** A download link for a succeeded export whose file is still kept; null otherwise. */
export async function exportDownload(storage: ExportStorage, row: BiExport, now = new Date()): Promise<{ url: string; expiresAt: Date } | null> {
  if (row.status !== 'succeeded' || row.file_deleted_at || !row.expires_at || row.expires_at <= now) return null;
  return presignDownload(storage, { key: row.object_key, mimeType: MIME_TYPES[row.format], fileName: row.file_name }, now);
}

export const deleteExportFile = (storage: ExportStorage, row: BiExport) => deleteObjects(storage, [row.object_key]);
