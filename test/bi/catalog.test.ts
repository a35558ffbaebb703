// The BI catalog: declared by the modules (manifest biTables), composed by the registry, served
// by getBiCatalog, and never exposing internals.
import test from 'ava';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { composeModules, DuplicateDeclaration } from '../../app/registry.ts';
import { declaredSources } from '../../modules/bi/engine/catalog.ts';
import { defineModule } from '../../modules/manifest.ts';
import { expectError, expectOk } from './helpers.ts';

let h: Harness;
test.before(async () => { h = await bootHarness(); });
test.after.always(async () => { await h?.close(); });

const INTERNAL_TABLES = ['workspaces', 'api_tokens', 'idempotency_keys', 'rate_limit_windows', 'outbox_events', 'workflow_commands', 'invoice_number_counters', 'mikro_orm_migrations', 'webhook_attempts'];
const INTERNAL_COLUMN = /^(workspace_id|search_(text|vector|config|short_keys|long_keys)|message_text|token.*|.*_hash|.*secret.*|conversion_(workflow|run|command)_id|status_before_conversion|created_(company|contact|deal)_id|sla_run_active|(upload|object)_key|complete_command_id)$/;

test('getBiCatalog lists every declared table with its module, description and typed columns, and no internals', async (t) => {
  const ws = await h.workspace();
  const catalog = await expectOk(t, ws.client.get('/bi/catalog'));
  const names = catalog.tables.map((x: { name: string }) => x.name);
  t.deepEqual(names, ['contacts', 'companies', 'leads', 'deal_stages', 'deals', 'invoices', 'invoice_line_items', 'payments',
    'accounting_accounts', 'journal_entries', 'journal_lines', 'tasks', 'activities', 'analytics_events', 'analytics_properties', 'assets',
    'support_queues', 'support_tickets', 'support_ticket_messages', 'support_ticket_comments', 'cms_collections', 'cms_sites', 'cms_entries',
    'marketing_campaigns', 'marketing_posts', 'webhook_endpoints', 'webhook_deliveries']);
  const byName = Object.fromEntries(catalog.tables.map((x: any) => [x.name, x]));
  t.like(byName.deals, { module: 'crm' });
  t.like(byName.tasks, { module: 'tasks' });
  t.like(byName.activities, { module: 'activity-log' });
  t.deepEqual(byName.deals.columns.find((c: { name: string }) => c.name === 'amount_cents'), { name: 'amount_cents', type: 'integer', label: null, description: null });
  t.is(byName.tasks.columns.find((c: { name: string }) => c.name === 'due_date').type, 'date');
  for (const table of catalog.tables) {
    t.false(INTERNAL_TABLES.includes(table.name), table.name);
    t.truthy(table.description);
    for (const column of table.columns) t.notRegex(column.name, INTERNAL_COLUMN, `${table.name}.${column.name}`);
  }
  // Exactly the declared columns of a table with internals are served.
  t.deepEqual(byName.leads.columns.map((c: { name: string }) => c.name), h.deps.biTables.find((x) => x.table === 'leads')!.columns);
  // And a query cannot reach what the catalog leaves out.
  for (const sql of ['select search_text from leads', 'select conversion_run_id from leads', 'select * from api_tokens']) {
    await expectError(t, ws.client.post('/bi/queries/run', { sql }), 422, 'rule_violation');
  }
});

test('the catalog takes bi:read and the bi module', async (t) => {
  const noScope = await h.workspace({ scopes: ['crm:read'] });
  await expectError(t, noScope.client.get('/bi/catalog'), 403, 'insufficient_scope');
  const noModule = await h.workspace({ enabled_modules: ['crm'] });
  await expectError(t, noModule.client.get('/bi/catalog'), 403, 'module_not_enabled');
  const reader = await h.workspace({ scopes: ['bi:read'] });
  await expectOk(t, reader.client.get('/bi/catalog'));
  await expectError(t, reader.client.post('/bi/queries/run', { sql: 'select 1 as one' }), 403, 'insufficient_scope');
});

test('the registry composes the declarations: a table declared twice or exposing workspace_id stops the app', (t) => {
  const a = defineModule({ name: 'a', events: [{ type: 'thing.created', schema: 'Task', description: 'x' }], biTables: [{ table: 'things', description: 'Things.' }] });
  const composed = composeModules([a]);
  t.deepEqual(composed.biTables, [{ module: 'a', table: 'things', description: 'Things.', columns: null, events: ['thing.created'] }]);
  const b = defineModule({ name: 'b', biTables: [{ table: 'things', description: 'Again.' }] });
  t.throws(() => composeModules([a, b]), { instanceOf: DuplicateDeclaration, message: /BI table "things" is declared by both module a and module b/ });
  const leaky = defineModule({ name: 'c', biTables: [{ table: 'other', description: 'x', columns: ['id', 'workspace_id'] }] });
  t.throws(() => composeModules([leaky]), { message: /workspace_id/ });
  const explicit = defineModule({ name: 'd', biTables: [{ table: 'x', description: 'x', events: ['x.done'] }] });
  t.deepEqual(composeModules([explicit]).biTables[0]!.events, ['x.done']);
});

test('a declaration the database does not match is named at the engine\'s start', async (t) => {
  const bad = (table: string, columns?: string[]) => declaredSources(h.deps.orm, [{ module: 'm', table, description: 'x', columns: columns ?? null, events: [] }]);
  await t.throwsAsync(bad('no_such_table'), { message: /module m declares table "no_such_table"/ });
  await t.throwsAsync(bad('deals', ['id', 'ghost']), { message: /column "deals.ghost"/ });
  await t.throwsAsync(bad('mikro_orm_migrations'), { message: /no workspace_id column/ });
  const [all] = await bad('tasks');
  t.false(all!.columns.some((c) => c.name === 'workspace_id'), 'omitted columns: all but workspace_id');
  t.true(all!.columns.some((c) => c.name === 'title'));
});
