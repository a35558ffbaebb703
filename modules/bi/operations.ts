import { list, read, write, type OperationHandler, type OperationHandlers, type OperationRequest, type OperationId } from '../../api/operations.ts';
import { biEngine } from './engine.ts';
import { createDataset, listDatasets } from './objects/datasets.ts';
import { createMetric, listMetrics } from './objects/metrics.ts';
import { createReport, listReports } from './objects/reports.ts';
import { createDashboard, listDashboards } from './objects/dashboards.ts';
import { archiveObject, updateObject } from './objects/collections.ts';
import { runQuery } from './query/run.ts';
import { serveCatalog } from './catalog.ts';
import { createExport, exportBody, listExports } from './exports/exports.ts';
import { exportStorage } from './exports/storage.ts';
import { archiveArtifact, createArtifact, listArtifacts, updateArtifact } from './artifacts/artifacts.ts';
import { serializeArtifact, serializeDashboard, serializeDataset, serializeExport, serializeMetric, serializeReport } from './serializers.ts';

const engineOf = (req: OperationRequest<OperationId>) => biEngine(req.deps);

// The engine's first start reads the schema through the connection pool: a write that needs the
// engine starts it before its transaction holds a connection, or a full pool of such writes
// would wait on itself.
const engineFirst = <K extends OperationId>(handler: OperationHandler<K>): OperationHandler<K> => async (req) => {
  await engineOf(req).catalog();
  return handler(req);
};

export const biOperations = {
  getBiCatalog: read(async (req) => serveCatalog(await engineOf(req).catalog())),
  listBiDatasets: list(({ tenant, query }) => listDatasets(tenant, query), serializeDataset),
  createBiDataset: engineFirst(write(201, (req) => createDataset(req.tenant, engineOf(req), req.body), serializeDataset)),
  listBiMetrics: list(({ tenant, query }) => listMetrics(tenant, query), serializeMetric),
  createBiMetric: write(201, ({ tenant, body }) => createMetric(tenant, body), serializeMetric),
  listBiReports: list(({ tenant, query }) => listReports(tenant, query), serializeReport),
  createBiReport: write(201, ({ tenant, body }) => createReport(tenant, body), serializeReport),
  listBiDashboards: list(({ tenant, query }) => listDashboards(tenant, query), serializeDashboard),
  createBiDashboard: write(201, ({ tenant, body }) => createDashboard(tenant, body), serializeDashboard),
  listBiExports: list((req) => listExports(req.tenant, exportStorage(req.deps), req.query), serializeExport),
  createBiExport: engineFirst(write(202, (req) => createExport(req.tenant, engineOf(req), exportBody(req.body)), (row) => serializeExport({ row, download: null }))),
  listBiScheduledArtifacts: list((req) => listArtifacts(req.tenant, req.deps.temporal, req.query), serializeArtifact),
  createBiScheduledArtifact: write(201, (req) => createArtifact(req.tenant, req.deps.temporal, req.body), serializeArtifact),
  runBiQuery: read((req) => runQuery(req.tenant, engineOf(req), req.body)),
  // Scheduled artifacts have a path of their own (their Temporal Schedule); the other collections share one.
  updateBiObject: engineFirst(write(200, async (req) => (req.path.collection === 'scheduled-artifacts'
    ? serializeArtifact(await updateArtifact(req.tenant, req.deps.temporal, req.path.id, req.body))
    : updateObject(req.tenant, engineOf(req), req.path.collection, req.path.id, req.body)), (o) => o)),
  archiveBiObject: write(200, async (req) => (req.path.collection === 'scheduled-artifacts'
    ? serializeArtifact(await archiveArtifact(req.tenant, req.deps.temporal, req.path.id))
    : archiveObject(req.tenant, req.path.collection, req.path.id)), (o) => o),
} satisfies OperationHandlers;
