// Bad input never answers 500. Generated over every implemented operation of the contract, so a
// module added later is covered with no new test: every body-taking operation gets a prototype
// key, a too-deep body, a huge invalid array, a lone surrogate, corrupt compressed bodies and
// unstorable dates; every list gets non-decimal limits; every idempotent write an empty key.
// Nothing any of them sends leaves a domain event behind.
import test from 'ava';
import { gzipSync } from 'node:zlib';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import type { Operation } from '../../api/contract.ts';
import { toApiError } from '../../api/middleware/errors.ts';

let h: Harness;
let ws: Awaited<ReturnType<Harness['workspace']>>;
test.before(async () => { h = await bootHarness(); ws = await h.workspace({ rate_limit_per_second: 1_000_000 }); });
test.after.always(async () => { await h?.close(); });

type Json = Record<string, any>;
const mounted = () => {
  const names = new Set(h.built.router.stack.map((l) => l.name));
  return h.built.contract.operations.filter((o) => names.has(o.operationId));
};
const urlOf = (op: Operation) => op.path.replace(/\{[^}]+\}/g, 'zzz_missing');
const deref = (node: Json | undefined): Json | undefined => {
  if (!node?.$ref) return node;
  return deref(node.$ref.replace(/^#\//, '').split('/').reduce((a: Json, s: string) => a?.[s], h.built.contract.document));
};
/** The top-level properties of an operation's JSON body schema. */
const bodyProperties = (op: Operation): Record<string, Json> => {
  const item = h.built.contract.document.paths[op.path][op.method];
  const schema = deref(deref(item.requestBody)?.content?.['application/json']?.schema) ?? {};
  const props: Record<string, Json> = {};
  for (const part of [schema, ...(schema.allOf ?? []).map(deref)]) {
    for (const [k, v] of Object.entries<Json>(part?.properties ?? {})) if (typeof v === 'object') props[k] = deref(v)!;
  }
  return props;
};
const isType = (s: Json, t: string) => [].concat(s?.type ?? []).includes(t as never);

async function send(op: Operation, raw: string | Buffer, headers: Record<string, string> = {}) {
  const res = await fetch(`${h.url}${urlOf(op)}`, {
    method: op.method.toUpperCase(), body: raw,
    headers: { Authorization: `Bearer ${ws.token}`, 'Content-Type': 'application/json', ...headers },
  });
  const text = await res.text();
  return { status: res.status, text, body: JSON.parse(text) };
}

const bodyOps = () => mounted().filter((o) => o.hasBody);

test.serial('a __proto__ or constructor.prototype key anywhere answers 400 forbidden_json_key', async (t) => {
  t.true(bodyOps().length > 10);
  for (const op of bodyOps()) {
    for (const raw of ['{"__proto__": {"admin": true}}', '{"custom_fields": {"x": {"__proto__": {"a": 1}}}}', '{"a": {"constructor": {"prototype": {"p": 1}}}}']) {
      const res = await send(op, raw);
      t.is(res.status, 400, `${op.operationId} ${raw}`);
      t.is(res.body.error.code, 'forbidden_json_key', op.operationId);
    }
  }
});

test.serial('a body nested past the limit answers 400 json_too_deep before anything walks it', async (t) => {
  const deepArrays = `{"a": ${'['.repeat(3000)}${']'.repeat(3000)}}`;
  const deepObjects = `${'{"a":'.repeat(1800)}1${'}'.repeat(1800)}`;
  for (const op of bodyOps()) {
    for (const raw of [deepArrays, deepObjects]) {
      const res = await send(op, raw);
      t.is(res.status, 400, op.operationId);
      t.is(res.body.error.code, 'json_too_deep', op.operationId);
    }
  }
});

test.serial('60,000 invalid array items answer a bounded 422, not every error', async (t) => {
  let checked = 0;
  for (const op of bodyOps()) {
    const [name] = Object.entries(bodyProperties(op)).find(([, s]) => isType(s, 'array')) ?? [];
    if (!name) continue;
    checked++;
    const raw = `{"${name}": [${Array.from({ length: 60_000 }, () => '{"x":[]}').join(',')}]}`;
    const res = await send(op, raw);
    t.is(res.status, 422, op.operationId);
    t.true(res.body.error.details.fields.length <= 50, op.operationId);
    t.true(res.text.length < 20_000, `${op.operationId} answered ${res.text.length} bytes`);
  }
  t.true(checked >= 2, 'operations with an array field');
});

test.serial('a lone UTF-16 surrogate in a string answers 422 naming the field', async (t) => {
  let checked = 0;
  for (const op of bodyOps()) {
    const [name] = Object.entries(bodyProperties(op)).find(([, s]) => isType(s, 'string') && !s.enum && !s.format && !s.pattern) ?? [];
    if (!name) continue;
    checked++;
    const res = await send(op, `{"${name}": "a\\ud800b"}`);
    t.is(res.status, 422, op.operationId);
    t.true(res.body.error.details.fields.some((f: Json) => f.field === name && /well-formed Unicode/.test(f.problem)), `${op.operationId}: ${res.text.slice(0, 300)}`);
  }
  // And in a key of a free-form object.
  const res = await send(mounted().find((o) => o.operationId === 'createContact')!, '{"name": "K", "custom_fields": {"\\udc00": 1}}');
  t.is(res.status, 422);
  t.true(checked >= 10);
});

test.serial('a corrupt gzip, deflate or brotli body answers 400 malformed_body_encoding; an unknown encoding 415', async (t) => {
  for (const op of bodyOps()) {
    for (const encoding of ['gzip', 'deflate', 'br']) {
      const res = await send(op, 'this is not compressed', { 'Content-Encoding': encoding });
      t.is(res.status, 400, `${op.operationId} ${encoding}`);
      t.is(res.body.error.code, 'malformed_body_encoding');
    }
    t.is((await send(op, '{}', { 'Content-Encoding': 'compress' })).status, 415);
  }
  // A well-formed gzip body is read as JSON.
  const created = await send(mounted().find((o) => o.operationId === 'createCompany')!, gzipSync('{"name": "Zipped Co"}'), { 'Content-Encoding': 'gzip' });
  t.is(created.status, 201);
});

test.serial('dates JavaScript or PostgreSQL cannot hold answer 422 naming the field: leap second, year 0000, past 9999 in UTC', async (t) => {
  let checked = 0;
  for (const op of bodyOps()) {
    for (const [name, s] of Object.entries(bodyProperties(op))) {
      const values = s.format === 'date-time' ? ['2026-12-31T23:59:60Z', '0000-06-01T00:00:00Z', '9999-12-31T23:59:59-23:59']
        : s.format === 'date' ? ['0000-01-01', '2026-02-30', '10000-01-01'] : [];
      for (const value of values) {
        checked++;
        const res = await send(op, JSON.stringify({ [name]: value }));
        t.is(res.status, 422, `${op.operationId}.${name}=${value}`);
        t.true(res.body.error.details.fields.some((f: Json) => f.field === name), `${op.operationId}.${name}=${value}`);
      }
    }
  }
  t.true(checked >= 6);
});

test.serial('query integers accept decimal digits only', async (t) => {
  const lists = mounted().filter((o) => o.method === 'get' && o.path.indexOf('{') === -1);
  let checked = 0;
  for (const op of lists) {
    const item = h.built.contract.document.paths[op.path][op.method];
    const params = (item.parameters ?? []).map(deref) as Json[];
    if (!params.some((p) => p.name === 'limit')) continue;
    // Required query parameters (a search's `query`) get a plain value, so only `limit` is wrong.
    const required = params.filter((p) => p.in === 'query' && p.required).map((p) => `&${p.name}=x`).join('');
    checked++;
    for (const bad of ['0x10', '0b11', '1e1', ' 5 ', '5.0', '']) {
      const res = await ws.client.get(`${op.path}?limit=${encodeURIComponent(bad)}${required}`);
      t.is(res.status, 422, `${op.operationId} limit=${JSON.stringify(bad)}`);
      t.true(res.body.error.details.fields.some((f: Json) => f.field === 'limit'));
    }
    t.is((await ws.client.get(`${op.path}?limit=10${required}`)).status, 200, op.operationId);
  }
  t.true(checked >= 8);
});

test.serial('an empty Idempotency-Key header answers 422 on every idempotent write', async (t) => {
  const ops = mounted().filter((o) => o.idempotent);
  t.true(ops.length >= 8);
  for (const op of ops) {
    const res = await send(op, '{}', { 'Idempotency-Key': '' });
    t.is(res.status, 422, op.operationId);
    t.true(res.body.error.details.fields.some((f: Json) => f.field === 'Idempotency-Key' && f.problem === 'must not be empty'), op.operationId);
  }
});

test.serial('none of the hostile requests above left an event behind', async (t) => {
  // Runs last in this serial file's order of declaration only by convention; the events are
  // checked for the whole workspace, which only hostile requests (and one zipped company) used.
  const events = (await h.events(ws.id)).map((e) => e.type);
  t.true(events.every((type) => type === 'company.created'), events.join(', '));
});

test.serial('a data exception from PostgreSQL is a 422 naming the column where known, never a 500', (t) => {
  const err = toApiError(Object.assign(new Error('insert into "x" - date/time field value out of range: "0000-01-01"'), { code: '22008', column: 'due_date' }));
  t.is(err.status, 422);
  t.is(err.code, 'validation_failed');
  t.deepEqual((err.details as Json).fields, [{ field: 'due_date', problem: 'holds a value the database cannot store' }]);
  t.is(toApiError(Object.assign(new Error('x'), { code: '23505' })).status, 500, 'other SQL errors stay server errors');
});
