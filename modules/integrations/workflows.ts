// This module's workflows, for the worker's bundle (app/workflows.ts).
export { deliverWebhook } from './delivery/workflow.ts';
