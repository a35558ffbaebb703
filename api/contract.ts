// The OpenAPI file is the single source of truth: operations, scopes, modules, idempotency and
// every request validator are derived from it here. Nothing else describes a request's shape.
// Validators compile on an operation's first use: a process pays only for what it serves.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { FieldProblem } from '../platform/errors.ts';
import { REPO_ROOT } from '../platform/paths.ts';
import { FORMAT_PROBLEMS, STORABLE_FORMATS } from './validation/formats.ts';
import { isModule, isScope, type Module, type Scope } from '../kernel/tenancy/scopes.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

// From the repository root, not this module: in the API bundle this module's URL is the bundle's.
export const CONTRACT_PATH = join(REPO_ROOT, 'api/openapi.v1.yaml');

type Json = Record<string, any>;

export interface Operation {
  operationId: string;
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  path: string;
  koaPath: string;
  scopes: Scope[];
  module: Module | null;
  idempotent: boolean;
  hasBody: boolean;
  bodyRequired: boolean;
  validateParams: (input: { query: Json; path: Json; }) => { value: { query: Json; path: Json }; problems: FieldProblem[] };
  validateBody: ((body: unknown) => FieldProblem[]) | null;
}

export interface Contract {
  document: Json;
  operations: Operation[];
  byId: Map<string, Operation>;
  responseValidator: (operationId: string, status: number) => ValidateFunction | null;
}

const METHODS = ['get', 'post', 'patch', 'put', 'delete'] as const;

function newAjv(coerce: boolean): Ajv2020 {
  // ownProperties: a body key such as "constructor" is never looked up on Object.prototype.
  const ajv = new Ajv2020({ strict: false, allErrors: true, ownProperties: true, coerceTypes: coerce ? 'array' : false, useDefaults: coerce });
  addFormats(ajv);
  for (const [name, format] of Object.entries(STORABLE_FORMATS)) ajv.addFormat(name, format);
  return ajv;
}

const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

export function loadContract(path = CONTRACT_PATH): Contract {
  const document = readContractDocument(path);
  const strictAjv = newAjv(false);
  const coercingAjv = newAjv(true);
  strictAjv.addSchema(document, 'spec');
  coercingAjv.addSchema(document, 'spec');
  const deref = (node: Json): Json => {
    if (node && typeof node.$ref === 'string') {
      const segments = node.$ref.replace(/^#\//, '').split('/').map((s: string) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
      return deref(segments.reduce((acc: Json, s: string) => acc?.[s], document));
    }
    return node;
  };

  const operations: Operation[] = [];
  for (const [path, item] of Object.entries<Json>(document.paths ?? {})) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const params = [...(item.parameters ?? []), ...(op.parameters ?? [])].map(deref);
      const bodySpec = op.requestBody ? deref(op.requestBody) : null;
      const bodySchemaPath = bodySpec?.content?.['application/json']?.schema
        ? `spec#/${pointer('paths', path, method, 'requestBody', 'content', 'application/json', 'schema')}`
        : null;
      const bodyRef = bodySchemaPath
        ? (op.requestBody.$ref ? `spec${op.requestBody.$ref}/content/application~1json/schema` : bodySchemaPath)
        : null;
      const bodyValidator = bodyRef ? lazy(() => strictAjv.compile({ $ref: bodyRef })) : null;
      operations.push({
        operationId: op.operationId,
        method,
        path,
        koaPath: path.replace(/\{([^}]+)\}/g, ':$1'),
        scopes: knownScopes(op.operationId, op['x-scopes'] ?? []),
        module: knownModule(op.operationId, op['x-module'] ?? null),
        idempotent: op['x-idempotent'] === true,
        hasBody: Boolean(bodySpec),
        bodyRequired: Boolean(bodySpec?.required),
        validateParams: paramsValidator(coercingAjv, params),
        validateBody: bodyValidator ? (body) => {
          const validate = bodyValidator();
          return validate(body) ? [] : toProblems(validate.errors ?? [], 'body');
        } : null,
      });
    }
  }

  const responseCache = new Map<string, ValidateFunction | null>();
  const responseValidator = (operationId: string, status: number) => {
    const key = `${operationId}:${status}`;
    if (!responseCache.has(key)) {
      const op = operations.find((o) => o.operationId === operationId);
      const item = op && document.paths[op.path][op.method];
      const response = item && (item.responses?.[String(status)] ?? item.responses?.default);
      let ref: string | null = null;
      if (response?.$ref) ref = `spec${response.$ref}/content/application~1json/schema`;
      else if (response?.content?.['application/json']?.schema && op) {
        ref = `spec#/${pointer('paths', op.path, op.method, 'responses', String(status), 'content', 'application/json', 'schema')}`;
      }
      responseCache.set(key, ref ? strictAjv.compile({ $ref: ref }) : null);
    }
    return responseCache.get(key)!;
  };

  return { document, operations, byId: new Map(operations.map((o) => [o.operationId, o])), responseValidator };
}

/**
 * The parsed contract. Parsing 8,000 lines of YAML takes ~0.4 s, so the result is cached as JSON
 * under node_modules/.cache, keyed by the file's hash (a changed contract is parsed anew; an
 * unwritable cache is only slower).
 */
function readContractDocument(path: string): Json {
  const text = readFileSync(path, 'utf8');
  const cacheDir = join(REPO_ROOT, 'node_modules/.cache/slab5');
  const cacheFile = join(cacheDir, `openapi-${createHash('sha256').update(text).digest('hex').slice(0, 16)}.json`);
  try {
    return JSON.parse(readFileSync(cacheFile, 'utf8')) as Json;
  } catch { /* not cached yet */ }
  const document = parse(text) as Json;
  try {
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(cacheFile, JSON.stringify(document));
  } catch { /* read-only install: parse each time */ }
  return document;
}

/** Computes a value on first use, once. */
function lazy<T>(make: () => T): () => T {
  let value: { v: T } | null = null;
  return () => (value ??= { v: make() }).v;
}

function knownScopes(operationId: string, scopes: string[]): Scope[] {
  const unknown = scopes.filter((s) => !isScope(s));
  if (unknown.length) throw new Error(`Operation ${operationId} names unknown scopes in x-scopes: ${unknown.join(', ')}.`);
  return scopes.filter(isScope);
}

function knownModule(operationId: string, module: string | null): Module | null {
  if (module !== null && !isModule(module)) throw new Error(`Operation ${operationId} names an unknown module in x-module: ${module}.`);
  return module;
}

function paramsValidator(ajv: Ajv2020, params: Json[]): Operation['validateParams'] {
  const group = (where: string) => {
    const list = params.filter((p) => p.in === where);
    return ajv.compile({
      type: 'object',
      properties: Object.fromEntries(list.map((p) => [p.name, p.schema ?? { type: 'string' }])),
      required: list.filter((p) => p.required).map((p) => p.name),
      additionalProperties: false,
    });
  };
  const numericQuery = new Map(params.filter((p) => p.in === 'query' && ['integer', 'number'].includes(p.schema?.type)).map((p) => [p.name as string, p.schema.type as string]));
  const query = lazy(() => group('query'));
  const path = lazy(() => group('path'));
  return (input) => {
    const value = { query: { ...input.query }, path: { ...input.path } };
    // Ajv's coercion reads numbers as Number() does (0x10, 1e1, " 5 "): only decimal digits pass.
    const problems: FieldProblem[] = notDecimal(value.query, numericQuery);
    const validateQuery = query();
    const validatePath = path();
    if (!validateQuery(value.query)) for (const p of toProblems(validateQuery.errors ?? [], 'query')) problems.push(p);
    if (!validatePath(value.path)) for (const p of toProblems(validatePath.errors ?? [], 'path')) problems.push(p);
    return { value, problems };
  };
}

const DECIMAL = { integer: /^-?\d+$/, number: /^-?\d+(\.\d+)?$/ } as Record<string, RegExp>;

function notDecimal(query: Record<string, unknown>, numeric: Map<string, string>): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const [name, type] of numeric) {
    const raw = query[name];
    for (const v of Array.isArray(raw) ? raw : [raw]) {
      if (typeof v === 'string' && !DECIMAL[type]!.test(v)) {
        out.push({ field: name, problem: `must be ${type === 'integer' ? 'an integer' : 'a number'} in decimal digits (got "${v.slice(0, 40)}")` });
        delete query[name];
      }
    }
  }
  return out;
}

/** Turns Ajv errors into field-named problems: "email must match format \"email\"". */
export function toProblems(errors: ErrorObject[], where: 'body' | 'query' | 'path'): FieldProblem[] {
  const seen = new Set<string>();
  const out: FieldProblem[] = [];
  for (const e of errors) {
    let field = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
    let problem = e.message ?? 'is invalid';
    if (e.keyword === 'required' || e.keyword === 'dependentRequired') {
      const params = e.params as { missingProperty: string; property?: string };
      field = [field, params.missingProperty].filter(Boolean).join('.');
      problem = e.keyword === 'required' ? 'is required' : `is required when ${params.property} is given`;
    } else if (e.keyword === 'additionalProperties') {
      field = [field, (e.params as { additionalProperty: string }).additionalProperty].filter(Boolean).join('.');
      problem = where === 'body' ? 'is not a known field' : 'is not a known parameter';
    } else if (e.keyword === 'enum') {
      problem = `must be one of: ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
    } else if (e.keyword === 'format' && FORMAT_PROBLEMS[(e.params as { format: string }).format]) {
      problem = FORMAT_PROBLEMS[(e.params as { format: string }).format]!;
    } else if (e.keyword === 'type') {
      problem = `must be of type ${(e.params as { type: string | string[] }).type}`;
    }
    if (!field) field = where === 'body' ? '(body)' : `(${where})`;
    const key = `${field}|${problem}`;
    if (!seen.has(key)) { seen.add(key); out.push({ field, problem }); }
  }
  return out;
}
