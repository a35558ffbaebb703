// This module's workflows, for the worker's bundle (app/workflows.ts).
export { purgeExpiredIdempotencyKeys } from './workflow.ts';
