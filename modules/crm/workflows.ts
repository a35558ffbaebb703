// This module's workflows, for the worker's bundle (app/workflows.ts).
export { convertLead } from './leads/conversion/workflow.ts';
