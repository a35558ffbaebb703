// This module's workflows, for the worker's bundle (app/workflows.ts).
export { publishCmsEntry, publishMarketingPost } from './publishing/workflow.ts';
