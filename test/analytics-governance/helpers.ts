// Defining plan records through the API, failing the test on anything but the expected status.
import type { ExecutionContext } from 'ava';
import type { ApiClient } from '../helpers/client.ts';

export async function defineProperty(t: ExecutionContext, client: ApiClient, body: Record<string, unknown>, status = 201) {
  const res = await client.post('/analytics/properties', body);
  t.is(res.status, status, JSON.stringify(res.body));
  t.deepEqual(res.contractErrors, []);
  return res.body.data;
}

export async function defineEvent(t: ExecutionContext, client: ApiClient, body: Record<string, unknown>, status = 201) {
  const res = await client.post('/analytics/events', body);
  t.is(res.status, status, JSON.stringify(res.body));
  t.deepEqual(res.contractErrors, []);
  return res.body.data;
}

export async function validate(t: ExecutionContext, client: ApiClient, name: string, properties: Record<string, unknown>) {
  const res = await client.post('/analytics/events/validate', { name, properties });
  t.is(res.status, 200, JSON.stringify(res.body));
  t.deepEqual(res.contractErrors, []);
  return res.body.data;
}

/** The (code, property) pairs of a validation, sorted: what most assertions compare. */
export const violations = (data: { errors: { code: string; property: string | null }[] }) =>
  data.errors.map((e) => `${e.code} ${e.property}`).sort();
