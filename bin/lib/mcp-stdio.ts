// `slab5 mcp --token ...`: the MCP server over stdio, for MCP clients that launch a command. The
// protocol owns stdout: logs go to stderr.
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Config } from '../../platform/config.ts';
import { createLogger } from '../../platform/logger.ts';
import { loadContract } from '../../api/contract.ts';
import { createInvoker } from '../../api/invoke.ts';
import { createMcpServer } from '../../api/mcp/server.ts';
import { createDeps } from '../../app/deps.ts';
import { registry } from '../../app/modules.ts';

export async function serveMcpOverStdio(config: Config, token: string): Promise<void> {
  const logger = createLogger(process.env.LOG_LEVEL ?? 'warn', 'slab5-mcp', process.stderr);
  const deps = await createDeps(config, logger);
  const contract = loadContract();
  const invoke = createInvoker(deps, contract, registry.operations);
  const server = createMcpServer({ orm: deps.orm, logger, contract, invoke, operations: Object.keys(registry.operations) }, token);
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => { transport.onclose = () => resolve(); });
  await server.connect(transport);
  process.stdin.on('end', () => void transport.close());
  await closed;
  await deps.close();
}
