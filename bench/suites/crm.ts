// Contacts: search, listing and creation on a workspace of BENCH_CONTACTS contacts, beside a
// neighbour workspace of the same size (tenant filters must use their indexes).
import { sql } from '../../platform/db.ts';
import { createWorkspace } from '../../kernel/tenancy/workspaces.ts';
import { measure } from '../measure.ts';
import type { BenchSuite } from '../suite.ts';

const SEEDED_CONTACTS = Number(process.env.BENCH_CONTACTS ?? 100_000);

export const crmBench: BenchSuite = async ({ deps, workspaceId, get, post, say }) => {
  const em = deps.orm.em.fork();
  const other = await createWorkspace(em, { name: 'Neighbour' });
  say(`seeding ${SEEDED_CONTACTS} contacts in each of two workspaces...`);
  for (const id of [workspaceId, other.id]) {
    await sql(em, `insert into contacts (id, workspace_id, name, email, company_name, notes, custom_fields)
      select 'con_' || md5(? || g), ?, 'Person ' || g, 'person' || g || '@example' || (g % 500) || '.com',
             'Company ' || (g % 2000), 'notes about deal ' || g, '{}'::jsonb
      from generate_series(1, ?) g`, [id, id, SEEDED_CONTACTS]);
  }
  await sql(em, 'analyze contacts');
  let n = 0;
  return [
    await measure('GET /contacts?query (selective, 100k rows)', 300, 1, () => get(`/contacts?query=person${12345 + (n++ % 1000)}@`), { p95Ms: 50 }),
    await measure('GET /contacts?query (broad, limit=100)', 200, 1, () => get('/contacts?query=company&limit=100'), { p95Ms: 80 }),
    await measure('GET /contacts (first page)', 300, 1, () => get('/contacts'), { p95Ms: 30 }),
    await measure('POST /contacts with Idempotency-Key', 300, 1, () => post('/contacts', { name: `New ${n}`, email: `new${n++}@bench.example`, company_name: `Bench Co ${n % 50}` }, `k-${n}`), { p95Ms: 60 }),
    await measure('POST /contacts, 20 concurrent clients', 600, 20, () => post('/contacts', { name: `Conc ${n}`, email: `conc${n++}@bench.example` }), { p95Ms: 250 }),
  ];
};
