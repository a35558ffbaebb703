// MCP over Streamable HTTP at /mcp. Every request carries the same bearer token as REST (401
// otherwise). A session starts with an initialize request and is bound to its token (another
// token on the session → 403); sessions live in this process and end on DELETE or after
// MCP_SESSION_IDLE_MS without a request. Behind several API processes, route /mcp with sticky
// sessions (or run the stdio server: `npx slab5 mcp --token ...`).
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Context } from 'koa';
import type { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { ApiError } from '../../platform/errors.ts';
import { authenticateToken, bearerToken } from '../middleware/auth.ts';
import type { McpDeps } from './server.ts';

// The MCP SDK and the tool server load with the first session: an API process no agent talks to
// does not hold them.
const loadMcp = () => Promise.all([import('@modelcontextprotocol/sdk/server/streamableHttp.js'), import('./server.ts')]);

const MCP_SESSION_IDLE_MS = 30 * 60_000;

interface Session { transport: StreamableHTTPServerTransport; tokenHash: Buffer; lastSeen: number }

const hash = (token: string) => createHash('sha256').update(token).digest();

export function mcpHttpHandler(deps: McpDeps): { handle: (ctx: Context) => Promise<void>; close: () => Promise<void> } {
  const sessions = new Map<string, Session>();
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const [id, s] of sessions) if (now - s.lastSeen > MCP_SESSION_IDLE_MS) { sessions.delete(id); void s.transport.close(); }
  }, 60_000);
  sweep.unref();

  return {
    async handle(ctx) {
      const token = bearerToken(ctx.get('Authorization'));
      await authenticateToken(ctx.state.em, token);
      const sessionId = ctx.get('mcp-session-id');
      let session = sessionId ? sessions.get(sessionId) : undefined;
      if (sessionId && !session) throw new ApiError(404, 'not_found', 'This MCP session does not exist here (ended, expired, or held by another API process): initialize a new one.');
      if (session && !timingSafeEqual(session.tokenHash, hash(token))) {
        throw new ApiError(403, 'insufficient_scope', 'This MCP session belongs to another token.');
      }
      if (!session) {
        if (ctx.method !== 'POST') throw new ApiError(400, 'malformed_body', 'Start an MCP session with a POST of an initialize request.');
        const [{ StreamableHTTPServerTransport: Transport }, { createMcpServer }] = await loadMcp();
        const transport: StreamableHTTPServerTransport = new Transport({
          sessionIdGenerator: () => randomUUID(),
          onsessioninitialized: (id) => { sessions.set(id, { transport, tokenHash: hash(token), lastSeen: Date.now() }); },
        });
        transport.onclose = () => { if (transport.sessionId) sessions.delete(transport.sessionId); };
        await createMcpServer(deps, token).connect(transport);
        session = { transport, tokenHash: hash(token), lastSeen: Date.now() };
      }
      session.lastSeen = Date.now();
      ctx.respond = false;
      await session.transport.handleRequest(ctx.req, ctx.res);
    },
    async close() {
      clearInterval(sweep);
      await Promise.all([...sessions.values()].map((s) => s.transport.close()));
      sessions.clear();
    },
  };
}
