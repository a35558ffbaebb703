// Deterministic, readable workflow ids: a retried request finds the same workflow.
export const workflowIds = {
  provisionWorkspace: (workspaceId: string) => `workspace-provision-${workspaceId}`,
};
