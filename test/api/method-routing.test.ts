// A path that exists answers 405 method_not_allowed with Allow for a method it does not have, on
// every path of the contract and the system routes; the most concrete template decides
// (/bi/queries/run is not /bi/{collection}/{id}, /cms/entries/search is not /cms/entries/{id}).
import test from 'ava';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { byConcreteness } from '../../api/middleware/methods.ts';

let h: Harness;
test.before(async () => { h = await bootHarness(); });
test.after.always(async () => { await h?.close(); });

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

test('a literal segment is more concrete than a parameter at the first place they differ', (t) => {
  const sorted = ['/bi/:collection/:id', '/bi/queries/run', '/cms/entries/:entry_id', '/cms/entries/search'].sort(byConcreteness);
  t.deepEqual(sorted.filter((p) => p.startsWith('/bi')), ['/bi/queries/run', '/bi/:collection/:id']);
  t.deepEqual(sorted.filter((p) => p.startsWith('/cms')), ['/cms/entries/search', '/cms/entries/:entry_id']);
});

test('every method a contract path does not declare answers 405 with exactly its methods in Allow', async (t) => {
  const { token } = await h.workspace();
  const paths = Object.entries<Record<string, unknown>>(h.built.contract.document.paths);
  t.true(paths.length > 40);
  for (const [template, item] of paths) {
    const declared = METHODS.filter((m) => item[m.toLowerCase()]);
    const path = template.replace(/\{[^}]+\}/g, 'x1');
    for (const method of METHODS.filter((m) => !declared.includes(m))) {
      const res = await fetch(`${h.url}${path}`, { method, headers: { Authorization: `Bearer ${token}` } });
      const body = await res.json() as any;
      t.is(res.status, 405, `${method} ${template}`);
      t.is(body.error.code, 'method_not_allowed', `${method} ${template}`);
      const allow = (res.headers.get('allow') ?? '').split(', ').filter((m) => m !== 'HEAD').sort();
      t.deepEqual(allow, [...declared].sort(), `Allow of ${method} ${template}`);
      t.deepEqual(body.error.details.allowed_methods.filter((m: string) => m !== 'HEAD').sort(), [...declared].sort());
    }
  }
});

test('PATCH and DELETE /bi/queries/run answer 405 (not 422 for collection=queries); OPTIONS lists POST', async (t) => {
  const { token } = await h.workspace();
  for (const method of ['PATCH', 'DELETE']) {
    const res = await fetch(`${h.url}/bi/queries/run`, { method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: '{}' });
    t.is(res.status, 405, method);
    t.is(res.headers.get('allow'), 'POST');
  }
  const options = await fetch(`${h.url}/bi/queries/run`, { method: 'OPTIONS' });
  t.is(options.status, 204);
  t.is(options.headers.get('allow'), 'POST');
  // The templated route still serves what it has: an unknown dashboard is the handler's 404.
  const patched = await fetch(`${h.url}/bi/dashboards/dash_missing`, { method: 'PATCH', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: '{"name":"x"}' });
  t.not(patched.status, 405);
});

test('the concrete route serves its method; the templated one serves the others', async (t) => {
  const { client } = await h.workspace();
  const search = await client.get('/cms/entries/search?query=hello');
  t.not(search.status, 405);
  t.not(search.status, 404);
  const update = await client.patch('/cms/entries/ent_missing', { title: 'x' });
  t.not(update.status, 405);
});

test('system routes answer 405 too: POST /healthz, DELETE /openapi.json', async (t) => {
  for (const [method, path] of [['POST', '/healthz'], ['DELETE', '/openapi.json']] as const) {
    const res = await fetch(`${h.url}${path}`, { method });
    t.is(res.status, 405, `${method} ${path}`);
    t.is(res.headers.get('allow'), 'HEAD, GET');
    t.is(((await res.json()) as any).error.code, 'method_not_allowed');
  }
  // A path no route has stays a 404.
  t.is((await fetch(`${h.url}/nowhere/at/all`, { method: 'PATCH' })).status, 404);
});
