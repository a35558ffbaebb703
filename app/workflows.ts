// The worker's workflow bundle entry: every module's workflows (one line per module that runs
// any). The worker checks at start that each workflow a manifest names is exported here.
export * from '../modules/workspace/workflows.ts';
export * from '../modules/crm/workflows.ts';
export * from '../modules/maintenance/workflows.ts';
export * from '../modules/assets/workflows.ts';
export * from '../modules/support/workflows.ts';
export * from '../modules/cms/workflows.ts';
export * from '../modules/integrations/workflows.ts';
export * from '../modules/bi/workflows.ts';
