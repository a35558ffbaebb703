// This module's workflows, for the worker's bundle (app/workflows.ts).
export { biExport } from './exports/workflow.ts';
