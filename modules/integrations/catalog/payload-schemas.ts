// The JSON Schema of a built-in event's data: the contract's resource schema, made self-contained
// (its $refs copied into $defs), so a receiver can validate payloads without the whole contract.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { CONTRACT_PATH } from '../../../api/contract.ts';

type Json = Record<string, unknown>;

let schemas: Record<string, Json> | null = null;
/** The contract's component schemas, read once (the file does not change while a process runs). */
const contractSchemas = (): Record<string, Json> =>
  (schemas ??= (parse(readFileSync(CONTRACT_PATH, 'utf8')) as { components: { schemas: Record<string, Json> } }).components.schemas);

const REF = '#/components/schemas/';

/** Copies node with its component $refs pointed at #/$defs, collecting the names it needs. */
function rewrite(node: unknown, needed: Set<string>): unknown {
  if (Array.isArray(node)) return node.map((n) => rewrite(n, needed));
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string' && value.startsWith(REF)) {
      const name = value.slice(REF.length);
      needed.add(name);
      out.$ref = `#/$defs/${name}`;
    } else out[key] = rewrite(value, needed);
  }
  return out;
}

/** A contract schema by name, with every schema it references under $defs; null if unknown. */
export function contractPayloadSchema(name: string): Json | null {
  const all = contractSchemas();
  if (!all[name]) return null;
  const needed = new Set<string>();
  const root = rewrite(all[name], needed) as Json;
  const defs: Json = {};
  const done = new Set<string>();
  while (needed.size > done.size) {
    for (const ref of [...needed]) {
      if (done.has(ref)) continue;
      done.add(ref);
      defs[ref] = rewrite(all[ref] ?? {}, needed);
    }
  }
  return { $schema: 'https://json-schema.org/draft/2020-12/schema', ...root, ...(done.size ? { $defs: defs } : {}) };
}
