// Validates a request against its operation in the contract: 422 naming each offending field
// (bounded: see validationFailed). Beyond the schema, every string and key of the input must be
// storable: no NUL (PostgreSQL text and jsonb cannot hold U+0000) and well-formed Unicode (a lone
// UTF-16 surrogate cannot be encoded as UTF-8).
import { validationFailed, type FieldProblem } from '../../platform/errors.ts';
import type { Operation } from '../contract.ts';
import type { ValidatedInput } from '../state.ts';

/** What a transport read from a request, before validation. */
export interface RawInput {
  query: Record<string, unknown>;
  path: Record<string, string>;
  /** The parsed body; undefined when none was sent. */
  body: unknown;
  /** Whether the request carried a body at all (REST: a Content-Length or chunked body). */
  bodySent: boolean;
  /** The Idempotency-Key header as sent (undefined when absent). */
  idempotencyKey: string | undefined;
}

export function validateInput(op: Operation, raw: RawInput): ValidatedInput {
  const { value, problems } = op.validateParams({ query: raw.query, path: raw.path });
  let body: unknown = undefined;
  if (op.hasBody) {
    body = raw.body;
    const empty = body === undefined || (typeof body === 'object' && body !== null && !Array.isArray(body) && Object.keys(body).length === 0 && !raw.bodySent);
    if (empty) {
      if (op.bodyRequired) problems.push({ field: '(body)', problem: 'is required: send a JSON object' });
      body = op.bodyRequired ? undefined : {};
    } else if (op.validateBody) {
      for (const p of op.validateBody(body)) problems.push(p);
    }
  } else if (raw.bodySent) {
    problems.push({ field: '(body)', problem: 'is not accepted by this operation' });
  }
  // A key header sent empty is a mistake, not "no key": two such sends must not both write.
  if (op.idempotent && raw.idempotencyKey !== undefined && raw.idempotencyKey.trim() === '') {
    problems.push({ field: 'Idempotency-Key', problem: 'must not be empty' });
  }
  for (const input of [value.query, value.path, body]) {
    for (const p of textProblems(input, '')) problems.push(p);
  }
  if (problems.length) throw validationFailed(problems);
  return { query: value.query, path: value.path as Record<string, string>, body };
}

const LIMIT = 100;

/**
 * Strings (keys included) that PostgreSQL could not store: a NUL, or ill-formed UTF-16. One
 * iterative pass, at most LIMIT problems.
 */
export function textProblems(value: unknown, path: string): FieldProblem[] {
  const out: FieldProblem[] = [];
  const stack: Array<{ node: unknown; path: string }> = [{ node: value, path }];
  const check = (text: string, field: string, what: string) => {
    if (text.includes('\u0000')) out.push({ field: field || '(body)', problem: `${what}must not contain NUL (\\u0000) characters` });
    else if (!text.isWellFormed()) out.push({ field: field || '(body)', problem: `${what}must be well-formed Unicode (it holds a lone UTF-16 surrogate)` });
  };
  while (stack.length && out.length < LIMIT) {
    const { node, path: here } = stack.pop()!;
    if (typeof node === 'string') { check(node, here, ''); continue; }
    if (!node || typeof node !== 'object') continue;
    if (Array.isArray(node)) {
      node.forEach((item, i) => stack.push({ node: item, path: `${here}${here ? '.' : ''}${i}` }));
      continue;
    }
    for (const [key, item] of Object.entries(node)) {
      const field = `${here}${here ? '.' : ''}${key}`;
      const before = out.length;
      check(key, here, 'a key here ');
      if (out.length === before) stack.push({ node: item, path: field });
    }
  }
  return out;
}
