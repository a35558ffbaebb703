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
  // MCP clients want self-contained schemas: every $ref inlined (the contract has no recursive schemas).
  const inline = (node: unknown, depth = 0): unknown => {
    if (depth > 40) throw new Error('the contract has a schema nested deeper than 40 levels');
    if (Array.isArray(node)) return node.map((n) => inline(n, depth + 1));
    if (!node || typeof node !== 'object') return node;
    const obj = node as Json;
    if (typeof obj.$ref === 'string') return inline(resolve(obj.$ref), depth + 1);
    return Object.fromEntries(Object.entries(obj).filter(([k]) => k !== 'example' && k !== 'examples').map(([k, v]) => [k, inline(v, depth + 1)]));
  };

  return implemented.map((operationId) => {
    const op = contract.byId.get(operationId);
    if (!op) throw new Error(`No operation ${operationId} in the contract.`);
    const item = doc.paths[op.path][op.method];
    const params = [...(doc.paths[op.path].parameters ?? []), ...(item.parameters ?? [])].map((p: Json) => (p.$ref ? resolve(p.$ref) : p))
      .filter((p: Json) => (p.in === 'path' || p.in === 'query') && !p.deprecated);
    const properties: Json = {};
    const required: string[] = [];
    for (const p of params) {
      properties[p.name] = { ...(inline(p.schema ?? { type: 'string' }) as Json), ...(p.description ? { description: p.description } : {}) };
      if (p.required) required.push(p.name);
    }
    if (op.hasBody) {
      const body = item.requestBody?.$ref ? resolve(item.requestBody.$ref) : item.requestBody;
      properties.body = { ...(inline(body?.content?.['application/json']?.schema ?? { type: 'object' }) as Json), description: 'The JSON request body.' };
      if (op.bodyRequired) required.push('body');
    }
    if (op.idempotent) {
      properties.idempotency_key = { type: 'string', minLength: 1, maxLength: 255, description: 'Makes a retried write safe: the first answer to a key is replayed for 24 h.' };
    }
    return {
      name: toolName(operationId),
      title: item.summary ?? operationId,
      description: [item.summary, item.description].filter(Boolean).join('\n\n'),
      inputSchema: { type: 'object', properties, required, additionalProperties: false },
      annotations: { readOnlyHint: op.method === 'get', destructiveHint: op.method === 'delete', idempotentHint: op.method === 'get' || op.idempotent },
      operation: op,
    };
  });
}
