// Each export format's media type: what the object is stored and downloaded as, and what a mail
// attachment is labelled. Apart from the writers (file.ts), so that naming a format loads no DuckDB.
import type { ExportFormat } from '../entities.ts';

export const MIME_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv',
  json: 'application/json',
  parquet: 'application/vnd.apache.parquet',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};
