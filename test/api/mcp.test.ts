// The API as an MCP server, driven by a real MCP client from the same SDK over both transports:
// Streamable HTTP at /mcp and stdio (`slab5 mcp --token`).
import test from 'ava';
import { resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { toolDefinitions, toolName } from '../../api/mcp/tools.ts';

let h: Harness;
test.before(async () => { h = await bootHarness(); });
test.after.always(async () => { await h?.built.close(); await h?.close(); });

const root = resolve(import.meta.dirname, '../..');
const parse = (result: any) => JSON.parse(result.content[0].text);

async function httpClient(token: string, name = 'slab5-test-agent') {
  const client = new Client({ name, version: '1.2.3' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${h.url}/mcp`), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
  return client;
}

test('every implemented operation is a tool named after its operationId, with the contract\'s schema', (t) => {
  const implemented = Object.keys(h.built.router.stack.reduce((a, l) => ({ ...a, [l.name!]: 1 }), {}));
  const tools = toolDefinitions(h.built.contract, implemented);
  t.is(tools.length, implemented.length);
  const create = tools.find((x) => x.name === 'create_contact')!;
  t.is(toolName('createAssetUploadIntent'), 'create_asset_upload_intent');
  t.deepEqual(create.inputSchema.required, ['body']);
  t.truthy((create.inputSchema.properties.body as any).properties.email, 'the body schema is inlined');
  t.false(JSON.stringify(create.inputSchema).includes('$ref'));
  t.truthy(create.inputSchema.properties.idempotency_key);
  t.true(tools.find((x) => x.name === 'list_contacts')!.annotations.readOnlyHint);
  // A schema that refers to itself (nested shapes) is defined once under $defs, not inlined forever.
  for (const tool of tools) {
    const text = JSON.stringify(tool.inputSchema);
    for (const ref of text.match(/"\$ref":"[^"]+"/g) ?? []) t.regex(ref, /"#\/\$defs\/\w+"/, tool.name);
  }
});

test('over HTTP: list tools, read, write with an idempotency key replayed, and the actor shows the MCP client', async (t) => {
  const ws = await h.workspace();
  const client = await httpClient(ws.token);
  t.teardown(() => client.close());
  const { tools } = await client.listTools();
  t.true(tools.some((x) => x.name === 'create_lead') && tools.some((x) => x.name === 'list_contacts'));

  const lead = parse(await client.callTool({ name: 'create_lead', arguments: { body: { name: 'Agent Lead', email: 'agent@lead.example' } } }));
  t.is(lead.data.source, 'mcp', 'writes through MCP record source mcp');
  const ticket = parse(await client.callTool({ name: 'create_support_ticket', arguments: { body: { subject: 'Agent ticket' } } }));
  t.is(ticket.data.source, 'mcp');
  const message = parse(await client.callTool({ name: 'add_support_ticket_message', arguments: { ticket_id: ticket.data.id, body: { direction: 'outbound', body: 'On it.' } } }));
  t.is(message.data.channel, 'mcp');

  const args = { body: { name: 'Ada Agent', email: 'ada@agent.example' }, idempotency_key: 'mcp-key-1' };
  const first = parse(await client.callTool({ name: 'create_contact', arguments: args }));
  const again = parse(await client.callTool({ name: 'create_contact', arguments: args }));
  t.regex(first.data.id, /^con_/);
  t.deepEqual(again.data, first.data, 'the replay answers the first response');
  t.is((await h.sql('select count(*)::int as n from contacts where workspace_id = ?', [ws.id]))[0].n, 1);

  const listed = parse(await client.callTool({ name: 'list_contacts', arguments: { limit: 10 } }));
  t.deepEqual(listed.data.map((c: any) => c.id), [first.data.id]);

  const activity = parse(await client.callTool({ name: 'create_activity', arguments: { body: { type: 'agent_action', summary: 'Called Ada', related_resource_type: 'contact', related_resource_id: first.data.id } } }));
  t.like(activity.data, { actor_type: 'mcp_client', actor_name: 'slab5-test-agent 1.2.3' });

  const stages = await client.listResources();
  t.true(stages.resources.some((r) => r.uri === 'slab5://crm/deal-stages'));
});

test('read-only resources for planning: deal stages, the BI catalog and the tracking plan, each listed only with its scope', async (t) => {
  const ws = await h.workspace();
  const client = await httpClient(ws.token);
  t.teardown(() => client.close());
  const uris = (await client.listResources()).resources.map((r) => r.uri);
  t.deepEqual(uris.sort(), ['slab5://analytics/tracking-plan', 'slab5://bi/catalog', 'slab5://crm/deal-stages']);
  const catalog = await client.readResource({ uri: 'slab5://bi/catalog' });
  const tables = JSON.parse((catalog.contents[0] as { text: string }).text).data.tables.map((x: { name: string }) => x.name);
  t.true(tables.includes('deals') && tables.includes('support_tickets'));
  const plan = await client.readResource({ uri: 'slab5://analytics/tracking-plan' });
  t.deepEqual(JSON.parse((plan.contents[0] as { text: string }).text).data, []);

  const crmOnly = await h.workspace({ scopes: ['crm:read'] });
  const narrow = await httpClient(crmOnly.token);
  t.teardown(() => narrow.close());
  t.deepEqual((await narrow.listResources()).resources.map((r) => r.uri), ['slab5://crm/deal-stages']);
  await t.throwsAsync(narrow.readResource({ uri: 'slab5://bi/catalog' }));
});

test('a tool the token\'s scopes do not allow is not listed, and calling it is a tool error with the API\'s code', async (t) => {
  const ws = await h.workspace({ scopes: ['crm:read'] });
  const client = await httpClient(ws.token);
  t.teardown(() => client.close());
  const names = (await client.listTools()).tools.map((x) => x.name);
  t.true(names.includes('list_contacts'));
  t.false(names.includes('create_contact'));
  const result: any = await client.callTool({ name: 'create_contact', arguments: { body: { name: 'Nope' } } });
  t.true(result.isError);
  t.like(parse(result).error, { code: 'insufficient_scope' });
  const invalid: any = await client.callTool({ name: 'list_contacts', arguments: { limit: 1000 } });
  t.true(invalid.isError);
  t.like(parse(invalid).error, { code: 'validation_failed' });
});

test('/mcp refuses a request without a valid token, like REST', async (t) => {
  const res = await fetch(`${h.url}/mcp`, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' }, body: '{}' });
  t.is(res.status, 401);
  t.is(((await res.json()) as any).error.code, 'unauthorized');
});

test('over stdio: `slab5 mcp --token` serves the same tools with the same guarantees', async (t) => {
  const ws = await h.workspace();
  const transport = new StdioClientTransport({
    command: process.execPath, args: [resolve(root, 'bin/slab5.js'), 'mcp', '--token', ws.token],
    cwd: root, env: { ...process.env, LOG_LEVEL: 'warn' } as Record<string, string>, stderr: 'ignore',
  });
  const client = new Client({ name: 'stdio-agent', version: '0.1' });
  await client.connect(transport);
  t.teardown(() => client.close());
  t.true((await client.listTools()).tools.some((x) => x.name === 'list_companies'));
  const created = parse(await client.callTool({ name: 'create_company', arguments: { body: { name: 'Stdio Co' } } }));
  t.regex(created.data.id, /^com_/);
  const dup: any = await client.callTool({ name: 'create_company', arguments: { body: { name: 'Other', domain: 'dup.example' } } });
  t.falsy(dup.isError, dup.content?.[0]?.text);
  const conflict: any = await client.callTool({ name: 'create_company', arguments: { body: { name: 'Again', domain: 'dup.example' } } });
  t.true(conflict.isError);
  t.like(parse(conflict).error, { code: 'already_exists' });
});
