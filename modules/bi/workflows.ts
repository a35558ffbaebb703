// This module's workflows, for the worker's bundle (app/workflows.ts).
export { biExport } from './exports/workflow.ts';
export { syncBiArtifactSchedule } from './artifacts/sync-workflow.ts';
export { biArtifactRun } from './artifacts/run-workflow.ts';
