// Id prefixes of the kernel's own records; each module declares its own in its manifest.
export const KERNEL_IDS = {
  workspace: 'wrk',
  token: 'tok',
  event: 'evt',
  workflowCommand: 'cmd',
} as const;
