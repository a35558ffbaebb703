// BI: datasets → metrics → reports → dashboards over the tables every module declares for BI,
// answered by DuckDB from per-workspace snapshots in a sandbox (engine/).
import { defineModule } from '../manifest.ts';
import {
  BiDashboardCardSchema, BiDashboardSchema, BiDatasetSchema, BiExportSchema, BiMetricSchema, BiReportSchema, BiScheduledArtifactSchema,
} from './entities.ts';
import { BI_IDS } from './ids.ts';
import { biOperations } from './operations.ts';
import { disposeBiEngine } from './engine.ts';
import { Migration20261202060001_bi } from './migrations/Migration20261202060001_bi.ts';
import { Migration20261202070001_bi_delivery } from './migrations/Migration20261202070001_bi_delivery.ts';
import { Migration20261202080001_bi_artifact_mails } from './migrations/Migration20261202080001_bi_artifact_mails.ts';
import { Migration20261202090001_bi_artifact_dashboard } from './migrations/Migration20261202090001_bi_artifact_dashboard.ts';
import { createExportActivities } from './exports/activities.ts';
import { retryExport } from './exports/retry.ts';
import { createArtifactActivities } from './artifacts/activities.ts';
import { reportPage } from './pages/report-page.ts';
import { dashboardPage } from './pages/dashboard-page.ts';

const lifecycle = (resource: string, schema: 'BiDataset' | 'BiMetric' | 'BiReport' | 'BiDashboard' | 'BiScheduledArtifact', noun: string) => [
  { type: `${resource}.created`, schema, description: `A BI ${noun} was created.` },
  { type: `${resource}.updated`, schema, description: `A BI ${noun} changed (name, description, status, definition or layout).` },
  { type: `${resource}.archived`, schema, description: `A BI ${noun} was archived.` },
] as const;

export const biModule = defineModule({
  name: 'bi',
  entities: [BiDatasetSchema, BiMetricSchema, BiReportSchema, BiDashboardSchema, BiDashboardCardSchema, BiExportSchema, BiScheduledArtifactSchema],
  migrations: [
    { name: 'Migration20261202060001_bi', class: Migration20261202060001_bi },
    { name: 'Migration20261202070001_bi_delivery', class: Migration20261202070001_bi_delivery },
    { name: 'Migration20261202080001_bi_artifact_mails', class: Migration20261202080001_bi_artifact_mails },
    { name: 'Migration20261202090001_bi_artifact_dashboard', class: Migration20261202090001_bi_artifact_dashboard },
  ],
  operations: biOperations,
  ids: BI_IDS,
  events: [
    ...lifecycle('bi_dataset', 'BiDataset', 'dataset'),
    ...lifecycle('bi_metric', 'BiMetric', 'metric'),
    ...lifecycle('bi_report', 'BiReport', 'report'),
    ...lifecycle('bi_dashboard', 'BiDashboard', 'dashboard'),
    { type: 'bi_export.created', schema: 'BiExport', description: 'A BI export was requested (queued).' },
    { type: 'bi_export.succeeded', schema: 'BiExport', description: 'A BI export stored its file (row count, size, SHA-256).' },
    { type: 'bi_export.failed', schema: 'BiExport', description: 'A BI export failed; `error` says why.' },
    { type: 'bi_export.retried', schema: 'BiExport', description: 'An operator retried a failed BI export (`slab5 workflow retry`): it is queued again, its error cleared.' },
    ...lifecycle('bi_scheduled_artifact', 'BiScheduledArtifact', 'scheduled artifact'),
    {
      type: 'bi.artifact.delivered', description: 'A scheduled artifact run mailed its export to the recipients; the payload links the file and the pages the mail linked (report, subscribed dashboard).',
      schema: {
        type: 'object', required: ['artifact_id', 'export_id', 'recipients', 'file_name', 'download_url'],
        properties: {
          artifact_id: { type: 'string' }, export_id: { type: 'string' }, recipients: { type: 'array', items: { type: 'string' } }, file_name: { type: 'string' },
          format: { type: 'string' }, row_count: { type: 'integer' }, byte_size: { type: 'integer' }, download_url: { type: 'string' }, download_expires_at: { type: 'string' },
          report_page_url: { type: ['string', 'null'] }, dashboard_page_url: { type: ['string', 'null'] },
        },
      },
    },
    {
      type: 'bi.artifact.failed', description: 'A scheduled artifact run could not export or deliver; `reason` says why.',
      schema: { type: 'object', required: ['artifact_id', 'reason'], properties: { artifact_id: { type: 'string' }, export_id: { type: ['string', 'null'] }, reason: { type: 'string' } } },
    },
  ],
  workflows: ['biExport', 'syncBiArtifactSchedule', 'biArtifactRun'],
  retries: [{
    workflowType: 'biExport', resourceDecides: true, retry: retryExport,
    description: 'queues a failed export again (same id and file name) and runs a new biExport that writes its file; a succeeded export is refused',
  }],
  activities: (deps) => ({ ...createExportActivities(deps), ...createArtifactActivities(deps) }),
  pages: [reportPage, dashboardPage],
  dispose: disposeBiEngine,
});
