// MCP tools generated from the contract: one per implemented operation, named in snake_case after
// its operationId, described by its summary and description, its input schema the operation's
// path and query parameters plus `body` (the JSON body schema, inlined) and, for idempotent
// writes, `idempotency_key`. An operation added to the contract and implemented is a tool.
import type { Contract, Operation } from '../contract.ts';

type Json = Record<string, any>;

export interface ToolDefinition {
  name: string;
  title: string;
  description: string;
  inputSchema: Json & { type: 'object' };
  annotations: { readOnlyHint: boolean; destructiveHint: boolean; idempotentHint: boolean };
  operation: Operation;
}

export const toolName = (operationId: string) => operationId.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

export function toolDefinitions(contract: Contract, implemented: readonly string[]): ToolDefinition[] {
  const doc = contract.document;
  const resolve = (ref: string): Json => ref.replace(/^#\//, '').split('/').reduce((a: Json, s: string) => a?.[s.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
  // MCP clients want self-contained schemas: every $ref is inlined, except a schema that refers
  // to itself (nested shapes), which goes once into $defs and is referred to there.
  const inline = (node: unknown, inProgress: string[], defs: Json): unknown => {
    if (Array.isArray(node)) return node.map((n) => inline(n, inProgress, defs));
    if (!node || typeof node !== 'object') return node;
    const obj = node as Json;
    if (typeof obj.$ref === 'string') {
      const name = obj.$ref.split('/').pop()!;
      if (inProgress.includes(obj.$ref)) {
        if (!(name in defs)) { defs[name] = {}; defs[name] = inline(resolve(obj.$ref), [obj.$ref], defs); }
        return { $ref: `#/$defs/${name}` };
      }
      return inline(resolve(obj.$ref), [...inProgress, obj.$ref], defs);
    }
    return Object.fromEntries(Object.entries(obj).filter(([k]) => k !== 'example' && k !== 'examples').map(([k, v]) => [k, inline(v, inProgress, defs)]));
  };

  return implemented.map((operationId) => {
    const op = contract.byId.get(operationId);
    if (!op) throw new Error(`No operation ${operationId} in the contract.`);
    const item = doc.paths[op.path][op.method];
    const params = [...(doc.paths[op.path].parameters ?? []), ...(item.parameters ?? [])].map((p: Json) => (p.$ref ? resolve(p.$ref) : p))
      .filter((p: Json) => (p.in === 'path' || p.in === 'query') && !p.deprecated);
    const properties: Json = {};
    const required: string[] = [];
    const defs: Json = {};
    for (const p of params) {
      properties[p.name] = { ...(inline(p.schema ?? { type: 'string' }, [], defs) as Json), ...(p.description ? { description: p.description } : {}) };
      if (p.required) required.push(p.name);
    }
    if (op.hasBody) {
      const body = item.requestBody?.$ref ? resolve(item.requestBody.$ref) : item.requestBody;
      properties.body = { ...(inline(body?.content?.['application/json']?.schema ?? { type: 'object' }, [], defs) as Json), description: 'The JSON request body.' };
      if (op.bodyRequired) required.push('body');
    }
    if (op.idempotent) {
      properties.idempotency_key = { type: 'string', minLength: 1, maxLength: 255, description: 'Makes a retried write safe: the first answer to a key is replayed for 24 h.' };
    }
    return {
      name: toolName(operationId),
      title: item.summary ?? operationId,
      description: [item.summary, item.description].filter(Boolean).join('\n\n'),
      inputSchema: { type: 'object', properties, required, additionalProperties: false, ...(Object.keys(defs).length ? { $defs: defs } : {}) },
      annotations: { readOnlyHint: op.method === 'get', destructiveHint: op.method === 'delete', idempotentHint: op.method === 'get' || op.idempotent },
      operation: op,
    };
  });
}
