// This module's workflows, for the worker's bundle (app/workflows.ts).
export { completeAssetUpload } from './completion/workflow.ts';
export { assetRetention } from './retention/workflow.ts';
