// This module's workflows, for the worker's bundle (app/workflows.ts).
export { supportTicketSla } from './sla/workflow.ts';
