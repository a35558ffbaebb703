// The modules a workspace can enable and the scopes a token can hold. A scope's prefix names the
// module whose operations it grants.
export const MODULES = [
  'crm', 'support', 'tasks', 'activity_log', 'cms', 'assets', 'integrations', 'analytics_governance', 'bi',
] as const;
export type Module = (typeof MODULES)[number];

const SCOPE_AREAS = ['crm', 'support', 'tasks', 'activity', 'cms', 'assets', 'integrations', 'analytics', 'bi'] as const;
export const SCOPES = SCOPE_AREAS.flatMap((a) => [`${a}:read`, `${a}:write`]);

export function parseList(raw: string, all: readonly string[], what: string): string[] {
  if (raw.trim() === 'all') return [...all];
  const items = [...new Set(raw.split(',').map((s) => s.trim()).filter(Boolean))];
  const unknown = items.filter((i) => !all.includes(i));
  if (unknown.length) throw new Error(`Unknown ${what}: ${unknown.join(', ')}. Known: ${all.join(', ')} (or "all").`);
  if (!items.length) throw new Error(`Give at least one ${what} (or "all").`);
  return items;
}
