// Analytics governance: payload validation against a 50-property event (the target:
// ≤ 1 ms per validation with the version's compiled validator cached), the same over HTTP, and
// the tracking plan's listing.
import { sql } from '../../platform/db.ts';
import { compiledPlans } from '../../modules/analytics-governance/compiled-plans.ts';
import { checkPayload, validateAnalyticsEvent } from '../../modules/analytics-governance/validation.ts';
import { systemTenant } from '../../kernel/tenant.ts';
import type { EventStatus } from '../../modules/analytics-governance/entities.ts';
import { measure } from '../measure.ts';
import type { BenchSuite } from '../suite.ts';

const PROPERTIES = 50;
const EXTRA_EVENTS = 500;

/** Property i: a mix of every type and constraint, so the schema is realistic. */
function property(i: number): Record<string, unknown> {
  const key = `prop_${i}`;
  switch (i % 7) {
    case 0: return { key, type: 'string', pattern: '^[a-z]{2}_[0-9]{1,6}$', required: true };
    case 1: return { key, type: 'number', min: 0, max: 1_000_000 };
    case 2: return { key, type: 'integer', min: 1, max: 100 };
    case 3: return { key, type: 'string', enum: ['api', 'mcp', 'ui', 'cli'] };
    case 4: return { key, type: 'date_time', required: true };
    case 5: return { key, type: 'array', max: 10, items: { type: 'string', max: 40 } };
    default: return { key, type: 'object', properties: { id: { type: 'string', required: true }, n: { type: 'integer', min: 0 } } };
  }
}

function value(i: number, n: number): unknown {
  switch (i % 7) {
    case 0: return `ab_${n % 999_999}`;
    case 1: return (n % 1000) + 0.5;
    case 2: return (n % 100) + 1;
    case 3: return ['api', 'mcp', 'ui', 'cli'][n % 4];
    case 4: return '2025-01-15T10:00:00Z';
    case 5: return ['alpha', 'beta'];
    default: return { id: `x${n}`, n: n % 10 };
  }
}

const payload = (n: number) => Object.fromEntries(Array.from({ length: PROPERTIES }, (_, i) => [`prop_${i}`, value(i, n)]));

/** About a dozen violations of several codes. */
const faulty = (n: number) => {
  const p = payload(n);
  for (let i = 0; i < PROPERTIES; i += 4) p[`prop_${i}`] = i % 7 === 0 ? 'BAD' : i % 7 === 2 ? 1000 : 'x';
  p.unexpected = true;
  return p;
};

export const analyticsBench: BenchSuite = async ({ deps, workspaceId, get, post, say }) => {
  say(`defining ${PROPERTIES} properties, a ${PROPERTIES}-property event and ${EXTRA_EVENTS} other events...`);
  for (let i = 0; i < PROPERTIES; i++) await post('/analytics/properties', property(i));
  const keys = Array.from({ length: PROPERTIES }, (_, i) => `prop_${i}`);
  await post('/analytics/events', { name: 'order_completed', owner: 'growth', properties: keys });
  for (let i = 0; i < EXTRA_EVENTS; i++) {
    await post('/analytics/events', { name: `event_${i}`, owner: `team_${i % 10}`, description: `Bench event ${i}`, properties: keys.slice(i % 40, (i % 40) + 10) });
  }
  const em = deps.orm.em.fork();
  const [event] = await sql<{ id: string; name: string; version: number; status: EventStatus; json_schema: object }[]>(em,
    'select id, name, version, status, json_schema from analytics_events where workspace_id = ? and name = ?', [workspaceId, 'order_completed']);
  if (!event) throw new Error('the bench event was not defined');
  const validator = () => compiledPlans.get(event.id, event.version) ?? compiledPlans.compile(event.id, event.version, event.json_schema);
  const tenant = systemTenant(deps.orm.em.fork(), workspaceId, deps.resources);
  let n = 0;
  let checked = 0;
  const results = [
    // What the API does per request once the version is compiled: cache lookup, Ajv, violations.
    await measure(`validate a ${PROPERTIES}-property payload, in process (valid)`, 5000, 1, async () => {
      if (!checkPayload(validator(), event, payload(n++)).valid) throw new Error('the bench payload should be valid');
      checked++;
    }, { p95Ms: 1 }),
    await measure(`validate a ${PROPERTIES}-property payload, in process (13 violations)`, 5000, 1, async () => {
      if (checkPayload(validator(), event, faulty(n++)).errors.length < 10) throw new Error('the faulty payload should have violations');
      checked++;
    }, { p95Ms: 1 }),
    // The same with the event's lookup in PostgreSQL (what a request adds before the validator).
    await measure(`validateAnalyticsEvent, in process, with its PostgreSQL lookup`, 2000, 1, async () => {
      if (!(await validateAnalyticsEvent(tenant, 'order_completed', payload(n++))).valid) throw new Error('the bench payload should be valid');
    }, { p95Ms: 5 }),
    // The whole request (auth, rate limit, contract validation, lookup, validation); /workspace is its floor.
    await measure('GET /workspace (the request pipeline alone, for comparison)', 500, 1, () => get('/workspace'), { p95Ms: 25 }),
    await measure(`POST /analytics/events/validate (${PROPERTIES} properties)`, 1000, 1, () => post('/analytics/events/validate', { name: 'order_completed', properties: payload(n++) }), { p95Ms: 30 }),
    await measure(`POST /analytics/events/validate, 20 concurrent clients`, 2000, 20, () => post('/analytics/events/validate', { name: 'order_completed', properties: faulty(n++) }), { p95Ms: 150 }),
    await measure(`GET /analytics/events?query (${EXTRA_EVENTS + 1} events)`, 300, 1, () => get(`/analytics/events?query=event%20${n++ % EXTRA_EVENTS}`), { p95Ms: 40 }),
    await measure('GET /analytics/events?owner (limit=100)', 300, 1, () => get(`/analytics/events?owner=team_${n++ % 10}&limit=100`), { p95Ms: 60 }),
  ];
  say(`checked ${checked} payloads in process`);
  return results;
};
