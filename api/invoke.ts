// One operation call, whatever carried it (REST or an MCP tool call): authenticate → authorize
// (scope, module) → rate limit → validate → idempotency → handler. The transports only read
// their request into a Call and write the Reply back.
import type { EntityManager } from '../platform/db.ts';
import type { Logger } from '../platform/logger.ts';
import { ApiError } from '../platform/errors.ts';
import type { Contract, Operation } from './contract.ts';
import type { AppDeps } from './deps.ts';
import type { OperationHandler, OperationHandlers, OperationId, OperationRequest } from './operations.ts';
import type { Channel, Reply } from './state.ts';
import { accessProblem, type Principal } from './middleware/auth.ts';
import { admitToken, type Admission } from './middleware/admission.ts';
import { validateInput, type RawInput } from './middleware/validate.ts';
import { withIdempotency } from './middleware/idempotency.ts';

/** Who calls which operation: enough to admit the call before its body is even read. */
export interface Caller {
  operationId: string;
  /** The presented bearer token. */
  token: string;
  requestId: string;
  log: Logger;
  em: EntityManager;
  channel: Channel;
  /** Response headers the call produces (rate limit, replay), set as they become known. */
  setHeader: (name: string, value: string) => void;
}

export type Call = Caller & RawInput;

/** An admitted call: its operation and principal (authenticated, authorized, counted). */
export interface Admitted { op: Operation; principal: Principal }

export interface Invoke {
  /** Authenticate → authorize (scope, module) → rate limit. */
  admit: (caller: Caller) => Promise<Admitted>;
  /** Validate → idempotency → handler, for an admitted call. */
  run: (admitted: Admitted, call: Call) => Promise<Reply>;
  /** Both, for a transport that has the whole request at once (MCP). */
  call: (call: Call) => Promise<Reply>;
}

export function createInvoker(deps: AppDeps, contract: Contract, handlers: OperationHandlers): Invoke {
  for (const operationId of Object.keys(handlers)) {
    if (!contract.byId.has(operationId)) throw new Error(`Handler "${operationId}" has no operation in the contract.`);
  }
  const admit = async (caller: Caller): Promise<Admitted> => {
    const op = contract.byId.get(caller.operationId);
    if (!op || !handlers[caller.operationId as OperationId]) throw new ApiError(404, 'route_not_found', `No operation "${caller.operationId}" is served here.`);
    // One round trip: the token and its workspace, and the request counted against the rate limit.
    let admission: Admission;
    try {
      admission = await admitToken(caller.em, caller.token, deps.config.defaultRateLimitPerSecond);
    } catch (err) {
      if (err instanceof ApiError) for (const [name, value] of Object.entries(err.headers)) if (name.startsWith('RateLimit')) caller.setHeader(name, value);
      throw err;
    }
    for (const [name, value] of Object.entries(admission.rateLimitHeaders)) caller.setHeader(name, value);
    const denied = accessProblem(op, admission.principal);
    if (denied) throw denied;
    return { op, principal: admission.principal };
  };
  const run = async ({ op, principal }: Admitted, call: Call): Promise<Reply> => {
    const handler = handlers[op.operationId as OperationId] as OperationHandler<OperationId>;
    const input = validateInput(op, call);
    const execute = (claim: OperationRequest<OperationId>['claim']) => handler(requestOf(deps, op, call, principal, input, claim));
    return op.idempotent
      ? withIdempotency(op, call.em, principal.workspace.id, input, call.idempotencyKey, execute, call.setHeader)
      : execute(null);
  };
  return { admit, run, call: async (call) => run(await admit(call), call) };
}

function requestOf(
  deps: AppDeps, op: Operation, call: Call, principal: Principal,
  input: ReturnType<typeof validateInput>, claim: OperationRequest<OperationId>['claim'],
): OperationRequest<OperationId> {
  return {
    operationId: op.operationId as OperationId,
    token: principal.token, workspace: principal.workspace, deps, claim, channel: call.channel,
    tenant: {
      em: call.em, workspaceId: principal.workspace.id, requestId: call.requestId,
      cursorSecret: deps.config.cursorSecret, resources: deps.resources, enqueued: [],
      actor: call.channel.kind === 'mcp'
        ? { type: 'mcp_client', id: principal.token.id, name: call.channel.client }
        : { type: 'api_token', id: principal.token.id, name: null },
    },
    path: input.path as never, query: input.query as never, body: input.body as never,
    requestId: call.requestId, log: call.log,
  };
}
