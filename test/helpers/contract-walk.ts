// Walks the contract for the reliability suite: the mounted operations, their parameters and the
// request example of each body, so a sweep covers an operation added later with no new test.
import type { Operation } from '../../api/contract.ts';
import type { Harness } from './harness.ts';

export type Json = Record<string, any>;

export interface ContractWalk {
  /** Operations the app mounts (the contract may describe more than is implemented). */
  mounted: Operation[];
  deref: (node: Json | undefined) => Json | undefined;
  /** Path-level and operation-level parameters, dereferenced. */
  params: (op: Operation) => Json[];
  /** The request example of the operation's JSON body (the contract gives one for each). */
  example: (op: Operation) => Json | undefined;
  /** The JSON body's schema (maybe a $ref). */
  bodySchema: (op: Operation) => Json | undefined;
  /** The body schema's top-level properties. */
  bodyProperties: (op: Operation) => Record<string, Json>;
}

export function contractWalk(h: Harness): ContractWalk {
  const doc = h.built.contract.document;
  const names = new Set(h.built.router.stack.map((l) => l.name));
  const deref = (node: Json | undefined): Json | undefined => {
    if (!node?.$ref) return node;
    return deref(node.$ref.replace(/^#\//, '').split('/').reduce((a: Json, s: string) => a?.[s], doc));
  };
  const mediaType = (op: Operation) => deref(doc.paths[op.path][op.method].requestBody)?.content?.['application/json'];
  return {
    mounted: h.built.contract.operations.filter((o) => names.has(o.operationId)),
    deref,
    params: (op) => [...(doc.paths[op.path].parameters ?? []), ...(doc.paths[op.path][op.method].parameters ?? [])].map((p) => deref(p)!),
    example: (op) => {
      const mt = mediaType(op);
      const schema = deref(mt?.schema);
      return mt?.example ?? schema?.example ?? schema?.examples?.[0];
    },
    bodySchema: (op) => deref(mediaType(op)?.schema),
    bodyProperties: (op) => {
      const schema = deref(mediaType(op)?.schema) ?? {};
      const props: Record<string, Json> = {};
      for (const part of [schema, ...(schema.allOf ?? []).map(deref)]) {
        for (const [k, v] of Object.entries<Json>(part?.properties ?? {})) if (typeof v === 'object') props[k] = deref(v)!;
      }
      return props;
    },
  };
}
