// Deterministic, readable workflow ids: a retried request finds the same workflow.
export const workflowIds = {
  provisionWorkspace: (workspaceId: string) => `workspace-provision-${workspaceId}`,
  convertLead: (leadId: string) => `lead-convert-${leadId}`,
};
