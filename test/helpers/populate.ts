// Fills a workspace with one of every resource the contract can create, from the contract's own
// request examples: each example's ids (`com_123`) are replaced by the workspace's real ids of
// that prefix, and the creates run in passes until none makes progress (a report needs its
// dataset first). A module added later is populated from its examples with no edit here.
import { MODULES } from '../../app/modules.ts';
import { pipelineWorkspace } from './fixtures.ts';
import type { Harness } from './harness.ts';
import type { Operation } from '../../api/contract.ts';
import { contractWalk, type Json } from './contract-walk.ts';

/** Every module id prefix (`con`, `ticket`, ...) and the kind it names (`contact`, `ticket`). */
export const PREFIXES: ReadonlyMap<string, string> = new Map(MODULES.flatMap((m) => Object.entries(m.ids ?? {}).map(([kind, prefix]) => [prefix, kind] as [string, string])));

/** The module prefix of an id-shaped string, or null. */
export const prefixOf = (value: unknown): string | null => {
  if (typeof value !== 'string') return null;
  const m = /^([a-z]+)_[A-Za-z0-9_]+$/.exec(value);
  return m && PREFIXES.has(m[1]!) ? m[1]! : null;
};

/** The kind an id parameter names: `ticket_id` → ticket, `webhook_id` → webhookEndpoint, `id` beside `collection=dashboards` → dashboard. */
export const kindPrefix = (name: string, sibling?: string): string | null => {
  const base = (name === 'id' && sibling ? sibling.replace(/s$/, '') : name.replace(/_ids?$/, '')).replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  for (const [prefix, kind] of PREFIXES) if (kind === base) return prefix;
  for (const [prefix, kind] of PREFIXES) if (kind.startsWith(base)) return prefix;
  return null;
};

/** Fields whose values are unique within a workspace: a second round prefixes them. */
const NATURAL_KEYS = new Set(['name', 'key', 'email', 'domain', 'primary_domain', 'invoice_number', 'title', 'subject', 'code']);

/** The example with its ids replaced by `ids` (prefix → id) and, for round > 0, natural keys varied. */
export function substitute(value: unknown, ids: ReadonlyMap<string, string>, round = 0, key = '', depth = 0): unknown {
  if (Array.isArray(value)) return value.map((v) => substitute(v, ids, 0, key, depth + 1));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, ids, depth === 0 ? round : 0, k, depth + 1)]));
  const prefix = prefixOf(value);
  if (prefix) return ids.get(prefix) ?? value;
  if (round > 0 && typeof value === 'string' && NATURAL_KEYS.has(key)) return /^\d+$/.test(value) ? `${round}${value}` : `r${round}${value}`;
  return value;
}

/** One id of the workspace per prefix, read from every table that has `id` and `workspace_id`. */
export async function idsOf(h: Harness, workspaceId: string): Promise<Map<string, string>> {
  const tables = await h.sql<{ table_name: string }>(
    `select c.table_name from information_schema.columns c join information_schema.tables t using (table_schema, table_name)
     where c.table_schema = 'public' and t.table_type = 'BASE TABLE' and c.column_name in ('id', 'workspace_id')
     group by c.table_name having count(*) = 2`);
  const ids = new Map<string, string>();
  for (const { table_name } of tables) {
    const rows = await h.sql<{ id: string }>(`select id::text as id from "${table_name}" where workspace_id = ? order by id limit 1`, [workspaceId]);
    const prefix = prefixOf(rows[0]?.id);
    if (prefix && !ids.has(prefix)) ids.set(prefix, rows[0]!.id);
  }
  return ids;
}

export interface Populated {
  id: string;
  token: string;
  client: Awaited<ReturnType<Harness['workspace']>>['client'];
  /** prefix → one id of this workspace */
  ids: Map<string, string>;
  /** operationIds whose example could not be created (reported by the sweep, never silently). */
  failed: Map<string, string>;
}

/** Operations the populate step never calls: they create nothing a sweep needs, or act outside. */
const NOT_CREATES = new Set(['runBiQuery', 'validateAnalyticsEvent', 'createBiExport']);

function requiredOnly(walk: ReturnType<typeof contractWalk>, op: Operation, body: Json): Json {
  const schema = walk.deref(walk.deref(walk.bodySchema(op))) ?? {};
  const required = new Set<string>([schema, ...(schema.allOf ?? []).map(walk.deref)].flatMap((s: Json | undefined) => s?.required ?? []));
  return Object.fromEntries(Object.entries(body).filter(([k]) => required.has(k)));
}

export async function populatedWorkspace(h: Harness, rounds = 1): Promise<Populated> {
  const ws = await pipelineWorkspace(h, { rate_limit_per_second: 1_000_000 });
  const walk = contractWalk(h);
  const creates = walk.mounted.filter((o) => o.method === 'post' && !o.path.includes('{') && !NOT_CREATES.has(o.operationId) && walk.example(o));
  const failed = new Map<string, string>();
  let ids = await idsOf(h, ws.id);
  for (let round = 0; round < rounds; round++) {
    let pending = creates;
    for (let pass = 0; pass < 6 && pending.length; pass++) {
      const next: typeof pending = [];
      for (const op of pending) {
        const body = substitute(walk.example(op), ids, round) as Json;
        // Webhook deliveries of the sweep's events go nowhere reachable (the discard port).
        if (typeof body.url === 'string') body.url = 'http://127.0.0.1:9/slab5-sweep';
        // Every optional link the example leaves out (a ticket's contact_id, ...) is set too, so
        // lists filtered by those links have rows to leak.
        const linked = { ...body };
        for (const name of Object.keys(walk.bodyProperties(op))) {
          const prefix = /_id$/.test(name) && !(name in body) ? kindPrefix(name) : null;
          if (prefix && ids.has(prefix)) linked[name] = ids.get(prefix);
        }
        const tried: string[] = [];
        const post = async (b: Json) => { const r = await ws.client.post(op.path, b); tried.push(`${r.status} ${JSON.stringify(r.body).slice(0, 300)}`); return r; };
        let res = await post(linked);
        if (res.status >= 400 && res.status < 500) res = await post(body);
        // An example naming what no other example creates (an analytics property, a report's
        // dashboard that needs the report first) is tried again with its required fields only.
        if (res.status >= 400 && res.status < 500) res = await post(requiredOnly(walk, op, body));
        // 409 already_exists: the workspace holds it already (a seeded deal stage).
        if (res.status >= 300 && res.status !== 409) { next.push(op); failed.set(op.operationId, tried.join(' / then ')); continue; }
        failed.delete(op.operationId);
        ids = await idsOf(h, ws.id);
      }
      if (next.length === pending.length) break;
      pending = next;
    }
  }
  return { ...ws, ids, failed };
}
