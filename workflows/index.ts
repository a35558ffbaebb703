// The worker's workflow bundle entry: every workflow type Slab5 runs.
export { provisionWorkspace } from './provision-workspace.ts';
export { convertLead } from './convert-lead.ts';
export { purgeExpiredIdempotencyKeys } from './maintenance.ts';
