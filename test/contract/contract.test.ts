import test from 'ava';
import { readFileSync } from 'node:fs';
import { loadContract } from '../../api/contract.ts';
import { buildApp } from '../../app/api.ts';
import { registry } from '../../app/modules.ts';
import type { AppDeps } from '../../api/deps.ts';
import { read, type OperationHandlers } from '../../api/operations.ts';

// A copy of shared/contract/operations.json (the reference's 75 operations), kept with the tests
// so they do not depend on where the product owner's folder sits.
const operationsFile = new URL('./reference-operations.json', import.meta.url);
const reference = JSON.parse(readFileSync(operationsFile, 'utf8')) as { operationId: string; method: string; path: string; scopes: string[]; idempotency_key: boolean }[];
const contract = loadContract();
// Operations the product adds to the reference's, each written up in docs/contract-decisions.md.
const ADDITIONS = ['getBiCatalog'];

test('the contract has all 75 operations of the reference with their ids, methods, paths and scopes, and only the documented additions', (t) => {
  t.is(reference.length, 75);
  for (const ref of reference) {
    const op = contract.byId.get(ref.operationId);
    if (!op) { t.fail(`${ref.operationId} is missing from the contract`); continue; }
    t.is(op.method.toUpperCase(), ref.method, ref.operationId);
    t.is(op.path, ref.path, ref.operationId);
    t.deepEqual([...op.scopes].sort(), [...ref.scopes].sort(), `${ref.operationId} scopes`);
    t.is(op.idempotent, ref.idempotency_key, `${ref.operationId} idempotency`);
  }
  const extra = contract.operations.map((o) => o.operationId).filter((id) => !reference.some((r) => r.operationId === id));
  t.deepEqual(extra.sort(), [...ADDITIONS].sort());
  t.is(contract.operations.length, 75 + ADDITIONS.length);
});

test('every mounted route is an operation of the contract, at its method and path', (t) => {
  const { router } = buildApp({ config: { cursorSecret: 'x', defaultRateLimitPerSecond: 1, bodyLimitBytes: 1024 } } as unknown as AppDeps);
  const mounted = router.stack.map((layer) => ({ name: layer.name, path: layer.path, methods: layer.methods.filter((m) => m !== 'HEAD') }));
  t.true(mounted.length > 0);
  for (const route of mounted) {
    const op = contract.byId.get(route.name ?? '');
    if (!op) { t.fail(`mounted route ${route.methods} ${route.path} is not in the contract`); continue; }
    t.is(route.path, op.koaPath, route.name!);
    t.deepEqual(route.methods, [op.method.toUpperCase()], route.name!);
  }
  const implemented = new Set(mounted.map((r) => r.name));
  const missing = contract.operations.filter((o) => !implemented.has(o.operationId)).map((o) => o.operationId);
  t.log(`implemented ${implemented.size} of ${contract.operations.length} operations`);
  // Every module is built: an operation of the contract without a handler is a gap, named here.
  t.deepEqual(missing, [], 'operations of the contract that no module serves');
});

test('a handler for an operation that is not in the contract cannot be mounted', (t) => {
  const unicorns = { ...registry.operations, listUnicorns: async () => ({ status: 200, body: {} }) } as OperationHandlers;
  t.throws(() => buildApp({ config: { cursorSecret: 'x', defaultRateLimitPerSecond: 1, bodyLimitBytes: 1024 } } as unknown as AppDeps, unicorns),
    { message: /listUnicorns/ });
  // And it does not compile: the handler map is keyed by the contract's operationIds (tsc checks
  // this file; an unused @ts-expect-error would fail the type check).
  // @ts-expect-error listUnicorns is not an operation of the contract
  const typed: OperationHandlers = { listUnicorns: read(async () => ({})) };
  // @ts-expect-error a handler must answer the operation's response type
  const wrongShape: OperationHandlers = { getWorkspace: read(async () => ({ id: 1 })) };
  t.truthy(typed && wrongShape);
});

test('every request and response example in the contract validates against its own schema', (t) => {
  const doc = contract.document;
  let checked = 0;
  for (const op of contract.operations) {
    const spec = doc.paths[op.path][op.method];
    const example = spec.requestBody?.content?.['application/json']?.example;
    if (example !== undefined && op.validateBody) {
      t.deepEqual(op.validateBody(example), [], `${op.operationId} request example`);
      checked++;
    }
    for (const [status, response] of Object.entries<any>(spec.responses ?? {})) {
      const ex = response.content?.['application/json']?.example;
      const validate = contract.responseValidator(op.operationId, Number(status));
      if (ex !== undefined && validate) {
        t.true(validate(ex), `${op.operationId} ${status} example: ${JSON.stringify(validate.errors)}`);
        checked++;
      }
    }
  }
  t.true(checked >= 75, `checked ${checked} examples`);
});

test('every operation documents the errors clients can get', (t) => {
  for (const op of contract.operations) {
    const responses = contract.document.paths[op.path][op.method].responses;
    for (const status of ['401', '403', '429']) t.truthy(responses[status], `${op.operationId} documents ${status}`);
    if (op.hasBody) for (const status of ['400', '413', '415', '422']) t.truthy(responses[status], `${op.operationId} documents ${status}`);
  }
});

test('every link names an operation of the contract and a parameter it has, fed from the created id', (t) => {
  let links = 0;
  for (const op of contract.operations) {
    for (const [status, response] of Object.entries<any>(contract.document.paths[op.path][op.method].responses)) {
      for (const [name, link] of Object.entries<any>(response.links ?? {})) {
        links++;
        const label = `${op.operationId} ${status} ${name}`;
        const target = contract.byId.get(link.operationId);
        if (!target) { t.fail(`${label}: no operation ${link.operationId}`); continue; }
        const declared = contract.document.paths[target.path][target.method].parameters ?? [];
        for (const [key, value] of Object.entries<string>(link.parameters ?? {})) {
          const [where, param] = key.split('.');
          t.true(declared.some((p: any) => p.in === where && p.name === param), `${label}: ${target.operationId} has no ${where} parameter ${param}`);
          if (value.startsWith('$')) t.is(value, '$response.body#/data/id', label);
          else t.deepEqual(declared.find((p: any) => p.name === param).schema.enum?.includes(value), true, `${label}: ${value} is a value of ${param}`);
        }
        for (const [field, value] of Object.entries<string>(link.requestBody ?? {})) {
          t.is(value, '$response.body#/data/id', label);
          t.truthy(target.validateBody && target.validateBody({ [field]: 'x' }).every((p) => p.field !== field), `${label}: ${target.operationId} takes ${field}`);
        }
        t.true(status.startsWith('2'), `${label}: a link follows a success`);
      }
    }
  }
  t.true(links >= 40, `${links} links`);
});

test('the contract bounds every request array (maxItems) and string (maxLength, or an enum, const or date format)', (t) => {
  const doc = contract.document;
  const resolve = (ref: string) => ref.replace(/^#\//, '').split('/').reduce((a: any, s: string) => a?.[s.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
  const unbounded = new Set<string>();
  const seen = new Set<string>();
  const walk = (node: any, path: string): void => {
    if (!node || typeof node !== 'object') return;
    if (node.$ref) { if (!seen.has(node.$ref)) { seen.add(node.$ref); walk(resolve(node.$ref), node.$ref); } return; }
    if (Array.isArray(node)) { node.forEach((n, i) => walk(n, `${path}/${i}`)); return; }
    const types = [].concat(node.type ?? []) as string[];
    if (types.includes('array') && node.maxItems === undefined) unbounded.add(`${path} (array without maxItems)`);
    if (types.includes('string') && node.maxLength === undefined && !node.enum && node.const === undefined && !['date', 'date-time'].includes(node.format)) {
      unbounded.add(`${path} (string without maxLength)`);
    }
    for (const [k, v] of Object.entries(node)) if (!['example', 'examples', 'description'].includes(k)) walk(v, `${path}/${k}`);
  };
  for (const op of contract.operations) {
    const item = doc.paths[op.path][op.method];
    for (const p of [...(doc.paths[op.path].parameters ?? []), ...(item.parameters ?? [])]) walk(p, `${op.operationId} parameter`);
    if (item.requestBody) walk(item.requestBody, `${op.operationId} body`);
  }
  t.deepEqual([...unbounded], []);
});
