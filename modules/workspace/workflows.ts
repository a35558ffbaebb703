// This module's workflows, for the worker's bundle (app/workflows.ts).
export { provisionWorkspace } from './provisioning/workflow.ts';
