// Tenant isolation, swept over every mounted operation of the contract (no per-operation code, so
// an operation added later is swept with no edit). Workspace A and workspace B each hold one of
// every resource (populated from the contract's request examples). B then sends, in every place
// an id goes (path parameter, body field at any depth, list filter, polymorphic related resource),
// an id of A, and the same request with a fresh id that exists nowhere: the two answers must be
// the same (status, error code, details), never a success, and a list filtered by A's id answers
// an empty page. A's cursors answer 422 invalid_cursor on every list of B. Nothing B sent reaches
// A: A's outbox is unchanged and no answer to B carries an id of A that B did not send.
import test from 'ava';
import { newId } from '../../platform/ids.ts';
import type { Operation } from '../../api/contract.ts';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { contractWalk, type ContractWalk, type Json } from '../helpers/contract-walk.ts';
import { kindPrefix, populatedWorkspace, prefixOf, substitute, type Populated } from '../helpers/populate.ts';

let h: Harness;
let walk: ContractWalk;
let a: Populated;
let b: Populated;
/** The lists: operations whose answer carries `next_cursor` (found by asking, not by name). */
let listOps: Operation[] = [];
test.before(async () => {
  h = await bootHarness();
  walk = contractWalk(h);
  a = await populatedWorkspace(h, 2);
  b = await populatedWorkspace(h, 1);
  for (const op of walk.mounted.filter((o) => o.method === 'get')) {
    const q = queryFor(op);
    const res = await send(b, 'get', `${pathFor(op)}${q ? `?${q}` : ''}`);
    if (res.status === 200 && 'next_cursor' in res.body) listOps.push(op);
  }
});
test.after.always(async () => { await h?.close(); });

interface Sent { status: number; text: string; body: Json }
async function send(ws: Populated, method: string, url: string, body?: unknown): Promise<Sent> {
  const res = await fetch(`${h.url}${url}`, {
    method: method.toUpperCase(),
    headers: { Authorization: `Bearer ${ws.token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, text, body: text ? JSON.parse(text) : null };
}

/**
 * What tells two answers apart, with the id that was sent masked (messages may echo it). A
 * success (an opaque reference such as `assignee_id` accepts any string) compares by status and
 * by its list's length: a new row's own id and timestamps differ between any two requests.
 */
const shape = (res: Sent, sentId: string) => JSON.parse(JSON.stringify(res.status < 300
  ? { status: res.status, rows: Array.isArray(res.body?.data) ? res.body.data.length : null }
  : { status: res.status, code: res.body?.error?.code ?? null, details: res.body?.error?.details ?? null },
).replaceAll(sentId, '<id>'));

const aIds = () => new Set(a.ids.values());
/** An answer to B must not carry an id of A other than the one B sent. */
function assertNoLeak(t: any, res: Sent, sentId: string, label: string) {
  for (const id of aIds()) if (id !== sentId) t.false(res.text.includes(id), `${label} leaked ${id}`);
}

/** B's own path for an operation: each id parameter is B's id of its kind, enum parameters their first value. */
function pathFor(op: Operation, override?: { name: string; value: string }, enumValue?: string) {
  const params = walk.params(op).filter((p) => p.in === 'path');
  const enumParam = params.find((p) => p.schema?.enum);
  const chosen = enumValue ?? enumParam?.schema.enum[0];
  return op.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    if (override?.name === name) return encodeURIComponent(override.value);
    const param = params.find((p) => p.name === name)!;
    if (param.schema?.enum) return chosen;
    const prefix = kindPrefix(name, chosen);
    return prefix ? (b.ids.get(prefix) ?? `missing_${prefix}`) : 'x';
  });
}
const queryFor = (op: Operation) => walk.params(op).filter((p) => p.in === 'query' && p.required).map((p) => `${p.name}=x`).join('&');
const bBody = (op: Operation) => (op.hasBody ? substitute(walk.example(op) ?? {}, b.ids) as Json : undefined);

interface Probe { label: string; prefix: string | null; request: (id: string) => Promise<Sent>; list: boolean }

/** Every place an id goes, generated from the contract. */
function probes(): Probe[] {
  const out: Probe[] = [];
  const lists = new Set(listOps.map((o) => o.operationId));
  for (const op of walk.mounted) {
    const pathParams = walk.params(op).filter((p) => p.in === 'path');
    const enumParam = pathParams.find((p) => p.schema?.enum);
    const q = queryFor(op);
    const suffix = q ? `?${q}` : '';
    // Path ids (for each value of an enum sibling such as BI's {collection}).
    for (const p of pathParams.filter((x) => !x.schema?.enum)) {
      for (const value of enumParam ? enumParam.schema.enum as string[] : [undefined]) {
        out.push({
          label: `${op.operationId} path ${p.name}${value ? ` (${value})` : ''}`, prefix: kindPrefix(p.name, value), list: false,
          request: (id) => send(b, op.method, `${pathFor(op, { name: p.name, value: id }, value)}${suffix}`, bBody(op)),
        });
      }
    }
    // Body ids: every id-shaped value of the request example, at any depth, and every top-level `*_id` property.
    if (op.hasBody && op.operationId !== 'validateAnalyticsEvent') {
      const example = walk.example(op) ?? {};
      const slots: { at: (string | number)[]; prefix: string | null }[] = [];
      const visit = (v: unknown, at: (string | number)[]) => {
        if (Array.isArray(v)) v.forEach((x, i) => visit(x, [...at, i]));
        else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) visit(x, [...at, k]);
        else if (prefixOf(v)) slots.push({ at, prefix: prefixOf(v) });
      };
      visit(example, []);
      for (const [name, schema] of Object.entries(walk.bodyProperties(op))) {
        if (/_id$/.test(name) && [].concat(schema.type ?? []).includes('string' as never) && !(name in example) && name !== 'related_resource_id') {
          slots.push({ at: [name], prefix: kindPrefix(name) });
        }
      }
      for (const slot of slots) {
        // The polymorphic pair is swept per related type below.
        if (slot.at[0] === 'related_resource_id') continue;
        out.push({
          label: `${op.operationId} body ${slot.at.join('.')}`, prefix: slot.prefix, list: false,
          request: (id) => {
            const body = bBody(op)!;
            let node: any = body;
            for (const k of slot.at.slice(0, -1)) node = node[k];
            node[slot.at.at(-1)!] = id;
            return send(b, op.method, `${pathFor(op)}${suffix}`, body);
          },
        });
      }
      if ('related_resource_id' in walk.bodyProperties(op)) {
        for (const [type] of h.deps.resources) {
          out.push({
            label: `${op.operationId} body related_resource ${type}`, prefix: `@${type}`, list: false,
            request: (id) => send(b, op.method, `${pathFor(op)}${suffix}`, { ...bBody(op), related_resource_type: type, related_resource_id: id }),
          });
        }
      }
    }
    // List filters naming an id.
    if (lists.has(op.operationId)) {
      for (const p of walk.params(op).filter((x) => x.in === 'query' && /_id$/.test(x.name) && x.name !== 'related_resource_id')) {
        out.push({
          label: `${op.operationId} filter ${p.name}`, prefix: kindPrefix(p.name), list: true,
          request: (id) => send(b, 'get', `${pathFor(op)}?${[q, `${p.name}=${encodeURIComponent(id)}`].filter(Boolean).join('&')}`),
        });
      }
      if (walk.params(op).some((x) => x.name === 'related_resource_id')) {
        for (const [type] of h.deps.resources) {
          out.push({
            label: `${op.operationId} filter related_resource ${type}`, prefix: `@${type}`, list: true,
            request: (id) => send(b, 'get', `${pathFor(op)}?related_resource_type=${type}&related_resource_id=${encodeURIComponent(id)}`),
          });
        }
      }
    }
  }
  return out;
}

/** A's id for a probe's kind (a related type's id is read from its table). */
async function aIdFor(prefix: string): Promise<string | null> {
  if (!prefix.startsWith('@')) return a.ids.get(prefix) ?? null;
  const table = h.deps.resources.get(prefix.slice(1))!;
  const rows = await h.sql<{ id: string }>(`select id::text as id from ${table} where workspace_id = ? limit 1`, [a.id]);
  return rows[0]?.id ?? null;
}

test.serial('both workspaces hold one of every resource the contract can create', (t) => {
  t.deepEqual([...a.failed.keys()], [], [...a.failed].map(([op, why]) => `${op}: ${why}`).join('\n'));
  t.deepEqual([...b.failed.keys()], []);
  t.true(a.ids.size >= 25, `A holds ${a.ids.size} kinds`);
});

test.serial('another workspace\'s id answers exactly as an id that exists nowhere, in every place an id goes', async (t) => {
  const eventsBefore = (await h.events(a.id)).length;
  const all = probes();
  let compared = 0;
  let notFound = 0;
  const unknownKinds: string[] = [];
  for (const probe of all) {
    // A probe whose kind is known gets A's id of that kind; one whose kind is not (`assignee_id`)
    // gets A's id of every kind: none may answer differently from a missing id.
    const candidates = probe.prefix ? [await aIdFor(probe.prefix)] : [...a.ids.values()];
    if (!probe.prefix) unknownKinds.push(probe.label);
    for (const id of candidates) {
      if (!id) { t.fail(`${probe.label}: workspace A has no ${probe.prefix}`); continue; }
      const twin = newId(prefixOf(id) ?? id.split('_')[0]!);
      const theirs = await probe.request(id);
      const missing = await probe.request(twin);
      compared++;
      t.deepEqual(shape(theirs, id), shape(missing, twin), `${probe.label} with ${id}: ${theirs.text.slice(0, 300)}`);
      t.true(theirs.status < 500, `${probe.label}: ${theirs.status} ${theirs.text.slice(0, 300)}`);
      if (!probe.prefix) {
        // An opaque reference: whatever it accepts, it must not tell A's ids from missing ones.
      } else if (probe.list) {
        t.true(theirs.status !== 200 || (Array.isArray(theirs.body.data) && theirs.body.data.length === 0), `${probe.label} listed rows of A`);
      } else {
        t.true(theirs.status >= 400, `${probe.label} accepted A's ${id}: ${theirs.status}`);
      }
      if (theirs.status === 404) notFound++;
      assertNoLeak(t, theirs, id, probe.label);
    }
  }
  t.log(`${all.length} id places, ${compared} comparisons, ${notFound} answered 404; kind unknown (all of A's ids tried): ${unknownKinds.join(', ') || 'none'}`);
  t.true(all.length >= 60, `${all.length} probes`);
  t.true(notFound >= 40);
  t.is((await h.events(a.id)).length, eventsBefore, 'nothing B sent reached workspace A');
});

test.serial('B\'s own ids pass where A\'s are refused (the probes reach the lookup)', async (t) => {
  // Without this, a probe whose request is invalid for another reason would pass vacuously.
  let reached = 0;
  const vacuous: string[] = [];
  for (const probe of probes()) {
    if (!probe.prefix || probe.prefix.startsWith('@')) continue;
    const own = b.ids.get(probe.prefix);
    if (!own) continue;
    const res = await probe.request(own);
    const twin = await probe.request(newId(probe.prefix));
    if (JSON.stringify(shape(res, own)) !== JSON.stringify(shape(twin, '\u0000'))) reached++;
    else vacuous.push(`${probe.label} (${res.status} ${res.body?.error?.code ?? ''})`);
  }
  t.log(`answers differ from a missing id's on ${reached} probes; the same on: ${vacuous.join('; ') || 'none'}`);
  t.true(reached >= 40, vacuous.join('\n'));
});

test.serial('A\'s cursors answer 422 invalid_cursor on every list of B', async (t) => {
  const lists = listOps;
  t.true(lists.length >= 20, `${lists.length} lists`);
  // A's cursors, one per list where A has two rows (populated twice), plus the contacts one for every list.
  const cursors = new Map<string, string>();
  for (const op of lists) {
    const pathOfA = op.path.replace(/\{([^}]+)\}/g, (_, name: string) => a.ids.get(kindPrefix(name) ?? '') ?? 'x');
    const q = queryFor(op);
    const res = await send(a, 'get', `${pathOfA}?limit=1${q ? `&${q}` : ''}`);
    if (res.body?.next_cursor) cursors.set(op.operationId, res.body.next_cursor);
  }
  t.true(cursors.size >= 15, `A has cursors for ${[...cursors.keys()].join(', ')}`);
  const anyCursor = cursors.get('listContacts')!;
  t.truthy(anyCursor);
  for (const op of lists) {
    const q = queryFor(op);
    for (const cursor of new Set([cursors.get(op.operationId) ?? anyCursor, anyCursor])) {
      const res = await send(b, 'get', `${pathFor(op)}?cursor=${encodeURIComponent(cursor)}${q ? `&${q}` : ''}`);
      t.is(res.status, 422, `${op.operationId}: ${res.text.slice(0, 200)}`);
      t.is(res.body.error?.code, 'invalid_cursor', op.operationId);
    }
  }
  // A cursor stays valid in its own workspace (the refusal is about the workspace, not the cursor).
  t.is((await send(a, 'get', `/contacts?cursor=${encodeURIComponent(anyCursor)}`)).status, 200);
});
