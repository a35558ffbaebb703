// The modules a workspace can enable and the scopes a token can hold. A scope's prefix names the
// module whose operations it grants.
export const MODULES = [
  'crm', 'support', 'tasks', 'activity_log', 'cms', 'assets', 'integrations', 'analytics_governance', 'bi',
] as const;
export type Module = (typeof MODULES)[number];

const SCOPE_AREAS = ['crm', 'support', 'tasks', 'activity', 'cms', 'assets', 'integrations', 'analytics', 'bi'] as const;
export type Scope = `${(typeof SCOPE_AREAS)[number]}:${'read' | 'write'}`;
export const SCOPES: Scope[] = SCOPE_AREAS.flatMap((a) => [`${a}:read` as const, `${a}:write` as const]);

export function parseList<T extends string>(raw: string, all: readonly T[], what: string): T[] {
  if (raw.trim() === 'all') return [...all];
  const items = [...new Set(raw.split(',').map((s) => s.trim()).filter(Boolean))];
  const unknown = items.filter((i) => !(all as readonly string[]).includes(i));
  if (unknown.length) throw new Error(`Unknown ${what}: ${unknown.join(', ')}. Known: ${all.join(', ')} (or "all").`);
  if (!items.length) throw new Error(`Give at least one ${what} (or "all").`);
  return items as T[];
}

export const isScope = (value: string): value is Scope => (SCOPES as string[]).includes(value);
export const isModule = (value: string): value is Module => (MODULES as readonly string[]).includes(value);
