import type { Workspace } from '../../kernel/tenancy/entities.ts';

export const serializeWorkspace = (w: Workspace) => ({
  id: w.id,
  name: w.name,
  enabled_modules: w.enabled_modules,
  created_at: w.created_at.toISOString(),
});
