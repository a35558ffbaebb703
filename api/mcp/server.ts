// The API as an MCP server: tools from the contract (api/mcp/tools.ts) called through the same
// invoker as REST (auth, scopes, modules, rate limit, validation, idempotency, handlers), and a
// few read-only resources an agent plans with. A tool the token cannot call is not listed; an
// API error comes back as a tool error carrying the API's code and message.
import { randomBytes } from 'node:crypto';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema, ListResourcesRequestSchema, ListToolsRequestSchema, ReadResourceRequestSchema, McpError, ErrorCode,
} from '@modelcontextprotocol/sdk/types.js';
import type { MikroORM } from '../../platform/db.ts';
import type { Logger } from '../../platform/logger.ts';
import { ApiError } from '../../platform/errors.ts';
import type { Contract } from '../contract.ts';
import type { Invoke } from '../invoke.ts';
import { accessProblem, authenticateToken } from '../middleware/auth.ts';
import { toApiError } from '../middleware/errors.ts';
import { toolDefinitions, type ToolDefinition } from './tools.ts';

/** A read-only resource: the answer of a list operation, for an agent to plan with. */
export interface ResourceSpec { uri: string; name: string; description: string; operationId: string; query?: Record<string, string> }

export const MCP_RESOURCES: ResourceSpec[] = [
  { uri: 'slab5://crm/deal-stages', name: 'Deal stages', description: 'The workspace\'s deal pipeline, in order (keys for deal_stage).', operationId: 'listDealStages', query: { limit: '100' } },
  { uri: 'slab5://bi/catalog', name: 'BI catalog', description: 'The tables and typed columns BI queries and datasets may read.', operationId: 'getBiCatalog' },
  { uri: 'slab5://analytics/tracking-plan', name: 'Tracking plan', description: 'The analytics events of the tracking plan with their properties and JSON Schemas (first 100).', operationId: 'listAnalyticsEvents', query: { limit: '100' } },
];

export interface McpDeps { orm: MikroORM; logger: Logger; contract: Contract; invoke: Invoke; operations: readonly string[] }

export const MCP_SERVER_INFO = { name: 'slab5', version: '0.1.0' };

/** A server bound to one bearer token (the HTTP request's, or the stdio process's). */
export function createMcpServer(deps: McpDeps, token: string): Server {
  const tools = toolDefinitions(deps.contract, deps.operations);
  const byName = new Map(tools.map((t) => [t.name, t]));
  const server = new Server(MCP_SERVER_INFO, {
    capabilities: { tools: {}, resources: {} },
    instructions: 'Slab5 workspace API. Every tool is one REST operation: path and query parameters are top-level arguments, the JSON body is `body`, and idempotent writes take `idempotency_key`. Errors carry the API\'s code.',
  });
  const clientName = () => {
    const v = server.getClientVersion();
    return v ? `${v.name} ${v.version}`.trim() : 'unknown MCP client';
  };

  const allowed = async (): Promise<ToolDefinition[]> => {
    const principal = await authenticateToken(deps.orm.em.fork(), token).catch((err) => { throw asMcpError(err); });
    return tools.filter((t) => !accessProblem(t.operation, principal));
  };

  const invoke = async (operationId: string, args: Record<string, unknown>) => {
    const op = deps.contract.byId.get(operationId)!;
    const pathNames = (op.path.match(/\{([^}]+)\}/g) ?? []).map((m) => m.slice(1, -1));
    const { body, idempotency_key: key, ...params } = args;
    const path: Record<string, string> = {};
    const query: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(params)) {
      if (pathNames.includes(k)) path[k] = String(v);
      else query[k] = typeof v === 'string' ? v : String(v);
    }
    const requestId = `req_${randomBytes(12).toString('hex')}`;
    const log = deps.logger.child({ request_id: requestId, mcp_client: clientName(), operation: operationId });
    const started = process.hrtime.bigint();
    try {
      const reply = await deps.invoke.call({
        operationId, token, requestId, log, em: deps.orm.em.fork(), channel: { kind: 'mcp', client: clientName() },
        setHeader: () => {}, query, path, body, bodySent: body !== undefined,
        idempotencyKey: typeof key === 'string' ? key : undefined,
      });
      log.info({ status: reply.status, duration_ms: Number(process.hrtime.bigint() - started) / 1e6 }, 'mcp tool call');
      const result = { ...reply.body, request_id: requestId };
      return { content: [{ type: 'text' as const, text: JSON.stringify(result) }], structuredContent: result };
    } catch (err) {
      const error = toApiError(err);
      if (error.status >= 500) log.error({ err }, 'mcp tool call failed');
      else log.info({ status: error.status, code: error.code }, 'mcp tool call refused');
      const payload = { error: { code: error.code, message: error.message, details: error.details }, request_id: requestId };
      return { isError: true, content: [{ type: 'text' as const, text: JSON.stringify(payload) }], structuredContent: payload };
    }
  };

  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: (await allowed()).map(({ name, title, description, inputSchema, annotations }) => ({ name, title, description, inputSchema, annotations })),
  }));

  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    const tool = byName.get(request.params.name);
    if (!tool) throw new McpError(ErrorCode.InvalidParams, `No tool named ${request.params.name}.`);
    return invoke(tool.operation.operationId, (request.params.arguments ?? {}) as Record<string, unknown>);
  });

  server.setRequestHandler(ListResourcesRequestSchema, async () => {
    const names = new Set((await allowed()).map((t) => t.operation.operationId));
    return { resources: MCP_RESOURCES.filter((r) => names.has(r.operationId)).map(({ uri, name, description }) => ({ uri, name, description, mimeType: 'application/json' })) };
  });

  server.setRequestHandler(ReadResourceRequestSchema, async (request) => {
    const spec = MCP_RESOURCES.find((r) => r.uri === request.params.uri);
    if (!spec || !deps.operations.includes(spec.operationId)) throw new McpError(ErrorCode.InvalidParams, `No resource ${request.params.uri}.`);
    const result = await invoke(spec.operationId, spec.query ?? {});
    if (result.isError) throw new McpError(ErrorCode.InvalidRequest, result.content[0]!.text);
    return { contents: [{ uri: spec.uri, mimeType: 'application/json', text: result.content[0]!.text }] };
  });

  return server;
}

function asMcpError(err: unknown): McpError {
  const error = err instanceof ApiError ? err : toApiError(err);
  return new McpError(ErrorCode.InvalidRequest, `${error.code}: ${error.message}`);
}
