import test from 'ava';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { LeadSchema } from '../../modules/crm/leads/entities.ts';
import { customFieldFilter } from '../../kernel/custom-field-filter.ts';

let h: Harness;
test.before(async () => { h = await bootHarness(); });
test.after.always(async () => { await h?.close(); });

const sql = <T = any>(query: string, params: unknown[] = []) => h.sql<T>(query, params);

test('createLead answers 201 with every field, the defaults and a lead.created event', async (t) => {
  const { client, id } = await h.workspace();
  const res = await client.post('/leads', { name: 'Priya Shah', company_name: 'Northstar Studio', source: 'website' });
  t.is(res.status, 201);
  t.deepEqual(res.contractErrors, []);
  const lead = res.body.data;
  t.regex(lead.id, /^lead_/);
  t.like(lead, {
    name: 'Priya Shah', email: null, company_name: 'Northstar Studio', company_domain: null, source: 'website', status: 'new',
    custom_fields: {}, contact_id: null, company_id: null, deal_id: null, converted_at: null, conversion_workflow_id: null,
  });
  const full = await client.post('/leads', {
    name: 'Ann Full', email: 'ann@full.example', phone: '+1 555', title: 'CTO', company_domain: 'Full.Example',
    status: 'qualified', notes: 'met at a fair', custom_fields: { tier: 'gold', seats: 12 },
  });
  t.is(full.status, 201);
  t.like(full.body.data, { source: 'api', status: 'qualified', company_domain: 'full.example', phone: '+1 555', title: 'CTO' });
  t.deepEqual(full.body.data.custom_fields, { tier: 'gold', seats: 12 });

  const events = await sql('select type, resource_id, request_id, payload from outbox_events where workspace_id = ? order by id', [id]);
  t.deepEqual(events.map((e) => [e.type, e.resource_id]), [['lead.created', lead.id], ['lead.created', full.body.data.id]]);
  t.is(events[0].request_id, res.body.request_id);
  t.is(events[0].payload.name, 'Priya Shah');
});

test('createLead refuses the statuses only a conversion sets, and unknown fields', async (t) => {
  const { client } = await h.workspace();
  for (const status of ['converting', 'converted']) {
    const res = await client.post('/leads', { name: 'X', status });
    t.is(res.status, 422);
    t.is(res.body.error.code, 'validation_failed');
    t.deepEqual(res.contractErrors, []);
  }
  const unknown = await client.post('/leads', { name: 'X', contact_id: 'con_1' });
  t.is(unknown.status, 422);
  t.deepEqual((await client.get('/leads')).body.data, []);
});

test('listLeads filters by query, status and source', async (t) => {
  const { client } = await h.workspace();
  await client.post('/leads', { name: 'Wile Coyote', email: 'wile@desert.example', source: 'website' });
  await client.post('/leads', { name: 'Road Runner', company_name: 'Acme Rockets', status: 'working', source: 'referral' });
  await client.post('/leads', { name: 'Elmer', notes: 'Hunting season; loves birdseed', status: 'disqualified', source: 'website' });
  const names = async (q: string) => {
    const res = await client.get(`/leads?${q}`);
    t.is(res.status, 200, q);
    t.deepEqual(res.contractErrors, []);
    return res.body.data.map((l: any) => l.name).sort();
  };
  t.deepEqual(await names('query=coyote'), ['Wile Coyote']);
  t.deepEqual(await names('query=DESERT.example'), ['Wile Coyote']);
  t.deepEqual(await names('query=rockets'), ['Road Runner']);
  t.deepEqual(await names('query=birdseed'), ['Elmer']);
  t.deepEqual(await names('query=100%25'), []);
  t.deepEqual(await names('status=working'), ['Road Runner']);
  t.deepEqual(await names('status=converting'), []);
  t.deepEqual(await names('source=website'), ['Elmer', 'Wile Coyote']);
  t.deepEqual(await names('source=website&status=disqualified'), ['Elmer']);
  t.deepEqual(await names('source=website&query=road'), []);
  const bad = await client.get('/leads?status=lost');
  t.is(bad.status, 422);
  t.deepEqual(bad.contractErrors, []);
});

test('custom_field_key + custom_field_value match the JSON value read as text; a key alone matches its presence', async (t) => {
  const { client } = await h.workspace();
  await client.post('/leads', { name: 'Gold', custom_fields: { tier: 'gold', seats: 42, vip: true } });
  await client.post('/leads', { name: 'Text42', custom_fields: { seats: '42', tier: 'silver' } });
  await client.post('/leads', { name: 'Plain' });
  await client.post('/leads', { name: 'Nested', custom_fields: { tier: { level: 'gold' } } });
  const names = async (q: string) => {
    const res = await client.get(`/leads?${q}`);
    t.is(res.status, 200, q);
    t.deepEqual(res.contractErrors, []);
    return res.body.data.map((l: any) => l.name).sort();
  };
  t.deepEqual(await names('custom_field_key=tier&custom_field_value=gold'), ['Gold']);
  t.deepEqual(await names('custom_field_key=seats&custom_field_value=42'), ['Gold', 'Text42'], 'the number 42 and the string "42"');
  t.deepEqual(await names('custom_field_key=vip&custom_field_value=true'), ['Gold']);
  t.deepEqual(await names('custom_field_key=vip&custom_field_value=false'), []);
  t.deepEqual(await names('custom_field_key=tier&custom_field_value=Gold'), [], 'values compare exactly');
  t.deepEqual(await names('custom_field_key=tier'), ['Gold', 'Nested', 'Text42']);
  t.deepEqual(await names('custom_field_key=level'), [], 'only top-level keys');
  t.deepEqual(await names(`custom_field_key=${encodeURIComponent("it's")}&custom_field_value=${encodeURIComponent('a "quoted" ? value')}`), []);
  t.deepEqual(await names('custom_field_key=tier&custom_field_value=gold&query=plain'), []);

  const orphan = await client.get('/leads?custom_field_value=gold');
  t.is(orphan.status, 422);
  t.is(orphan.body.error.code, 'validation_failed');
  t.deepEqual(orphan.body.error.details.fields, [{ field: 'custom_field_value', problem: 'needs custom_field_key (the key whose value it must equal)' }]);
  t.deepEqual(orphan.contractErrors, []);
});

test('listLeads pages newest first with a signed cursor, filters included', async (t) => {
  const { client } = await h.workspace();
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) ids.push((await client.post('/leads', { name: `Lead ${i}`, source: i % 2 ? 'import' : 'api' })).body.data.id);
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const res: any = await client.get(`/leads?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    t.deepEqual(res.contractErrors, []);
    seen.push(...res.body.data.map((l: any) => l.id));
    cursor = res.body.next_cursor;
  } while (cursor);
  t.deepEqual(seen, [...ids].reverse());

  const first = await client.get('/leads?limit=1&source=api');
  t.deepEqual(first.body.data.map((l: any) => l.id), [ids[4]]);
  const second = await client.get(`/leads?limit=1&source=api&cursor=${encodeURIComponent(first.body.next_cursor)}`);
  t.deepEqual(second.body.data.map((l: any) => l.id), [ids[2]]);

  const tampered = await client.get(`/leads?cursor=${encodeURIComponent(first.body.next_cursor.slice(0, -2) + 'xx')}`);
  t.is(tampered.status, 422);
  t.is(tampered.body.error.code, 'invalid_cursor');
  t.deepEqual(tampered.contractErrors, []);
  const other = await h.workspace();
  const foreign = await other.client.get(`/leads?cursor=${encodeURIComponent(first.body.next_cursor)}`);
  t.is(foreign.status, 422);
});

test('leads stay in their workspace', async (t) => {
  const a = await h.workspace();
  const b = await h.workspace();
  await a.client.post('/leads', { name: 'Only in A', custom_fields: { tier: 'gold' } });
  t.deepEqual((await b.client.get('/leads')).body.data, []);
  t.deepEqual((await b.client.get('/leads?custom_field_key=tier&custom_field_value=gold')).body.data, []);
});

test('the custom-field filters and the free-text search are served by their indexes, not a table scan', async (t) => {
  const { id, client } = await h.workspace();
  // A workspace of realistic size, so the planner's choice reflects production.
  await sql(`insert into leads (id, workspace_id, name, email, source, status, custom_fields)
    select 'lead_bulk' || lpad(g::text, 6, '0') || ?, ?, 'Person ' || g, 'person' || g || '@bulk.example', 'import', 'new',
      jsonb_build_object('tier', case when g % 3 = 0 then 'bronze' else 'silver' end, 'seats', g % 50)
    from generate_series(1, 30000) g`, [id.slice(-6), id]);
  await client.post('/leads', { name: 'Wile Coyote', custom_fields: { tier: 'platinum', partner: 'acme', seats: 4242 } });
  await sql('analyze leads');
  // EXPLAIN the SQL the ORM builds for listLeads' filters (as findPage scopes and orders it).
  const plan = async (filter: Record<string, unknown>) => {
    const query = h.deps.orm.em.fork().createQueryBuilder(LeadSchema)
      .select('id').where({ $and: [{ workspace_id: id }, filter] }).orderBy({ id: 'desc' }).limit(26).getFormattedQuery();
    // No parameters: the formatted query goes to PostgreSQL as it is (its `?` operator included).
    const rows = await sql<{ 'QUERY PLAN': string }>(`explain ${query}`);
    return `${query}\n${rows.map((r) => r['QUERY PLAN']).join('\n')}`;
  };
  const containment = await plan(customFieldFilter('tier', 'platinum')!);
  t.regex(containment, /@>/);
  t.regex(containment, /Bitmap Index Scan on leads_custom_fields_idx/, containment);
  t.notRegex(containment, /Seq Scan/);
  const numeric = await plan(customFieldFilter('seats', '4242')!);
  t.regex(numeric, / or /, 'the string and the number readings');
  t.regex(numeric, /Bitmap Index Scan on leads_custom_fields_idx/, numeric);
  const keyOnly = await plan(customFieldFilter('partner', undefined)!);
  t.regex(keyOnly, /custom_fields" \? 'partner'/);
  t.regex(keyOnly, /Bitmap Index Scan on leads_custom_fields_idx/, keyOnly);
  t.notRegex(keyOnly, /Seq Scan/);
  const search = await plan({ search_text: { $like: '%coyote%' } });
  t.regex(search, /Bitmap Index Scan on leads_search_idx/, search);

  const res = await client.get('/leads?custom_field_key=tier&custom_field_value=platinum');
  t.deepEqual(res.body.data.map((l: any) => l.name), ['Wile Coyote']);
  t.deepEqual((await client.get('/leads?custom_field_key=partner')).body.data.map((l: any) => l.name), ['Wile Coyote']);
  t.deepEqual((await client.get('/leads?custom_field_key=seats&custom_field_value=4242')).body.data.map((l: any) => l.name), ['Wile Coyote']);
  // A common value: the planner may walk the id order instead, and the answer is the same.
  t.is((await client.get('/leads?custom_field_key=seats&custom_field_value=7&limit=100')).body.data.length, 100);
});
