// Shapes shared by the biExport workflow, its activities and the create request (types only, so
// the workflow bundle loads nothing else).
export interface BiExportInput {
  workspaceId: string;
  exportId: string;
  requestId: string | null;
}

/** What the workflow query `progress` answers (and listBiExports shows as `progress`). */
export interface ExportProgress {
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  /** Percent complete: rows written against the planned rows while streaming, then upload. */
  progress: number;
  rows_written: number;
  planned_rows: number | null;
}

export interface ExportDone { rowCount: number; byteSize: number; sha256: string; expiresAt: string }

export const exportWorkflowId = (exportId: string) => `bi-export-${exportId}`;
export const EXPORT_PROGRESS_QUERY = 'progress';
export const EXPORT_PROGRESS_SIGNAL = 'exportProgress';
/** The failure type of an export that cannot succeed (the source is gone, the SQL is refused). */
export const EXPORT_REFUSED = 'BiExportRefused';
/** How long a succeeded export's file is kept. */
export const EXPORT_TTL_MS = 7 * 24 * 3600_000;
/** Streaming reaches this share of the progress; writing and uploading the file take the rest. */
export const STREAMED_PERCENT = 90;
