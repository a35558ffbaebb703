// Operations typed from the contract (api/openapi.gen.ts, generated from openapi.v1.yaml): a
// handler map keyed by an unknown operationId does not compile, handlers receive the validated
// path, query and body in the contract's types, and what they answer must be the contract's
// response type. The common shapes (read, list, write) are one helper each.
import type { Logger } from '../platform/logger.ts';
import type { ApiToken, Workspace } from '../kernel/tenancy/entities.ts';
import { withEm, type TenantContext } from '../kernel/tenant.ts';
import type { Page } from '../kernel/pagination.ts';
import type { components, operations } from './openapi.gen.ts';
import type { AppDeps } from './deps.ts';
import { completeClaim } from './middleware/idempotency.ts';
import { inTransaction } from '../platform/transaction.ts';
import type { Channel, IdempotencyClaim, Reply } from './state.ts';

export type { Reply } from './state.ts';

export type OperationId = keyof operations;

type Defined<T> = [Exclude<T, undefined>] extends [never] ? Record<string, never> : Exclude<T, undefined>;
export type PathOf<K extends OperationId> = Defined<operations[K]['parameters']['path']>;
export type QueryOf<K extends OperationId> = Defined<operations[K]['parameters']['query']>;
type RequestBody<K extends OperationId> = Exclude<operations[K]['requestBody'], undefined>;
/** The JSON body (an optional body that was not sent arrives as `{}`). */
export type BodyOf<K extends OperationId> = [RequestBody<K>] extends [never] ? undefined
  : RequestBody<K> extends { content: { 'application/json': infer B } } ? B : undefined;
type Responses<K extends OperationId> = operations[K]['responses'];
export type JsonOf<K extends OperationId, S extends number> = S extends keyof Responses<K>
  ? Responses<K>[S] extends { content: { 'application/json': infer J } } ? J : never : never;
/** The `data` of the operation's response with status S. */
export type DataOf<K extends OperationId, S extends number> = JsonOf<K, S> extends { data: infer D } ? D : never;
/** One item of a list operation's `data`. */
export type ItemOf<K extends OperationId> = DataOf<K, 200> extends readonly (infer I)[] ? I : never;

export interface OperationRequest<K extends OperationId> {
  operationId: K;
  path: PathOf<K>;
  query: QueryOf<K>;
  body: BodyOf<K>;
  /** The caller's workspace as a unit of work; `write` binds it to the write's transaction. */
  tenant: TenantContext;
  workspace: Workspace;
  token: ApiToken;
  requestId: string;
  log: Logger;
  deps: AppDeps;
  /** The Idempotency-Key this request holds, if any: its response commits with the write. */
  claim: IdempotencyClaim | null;
  /** How the call arrived: REST, or an MCP tool call (writes record source `mcp` where a model has one). */
  channel: Channel;
}


export type OperationHandler<K extends OperationId> = (req: OperationRequest<K>) => Promise<Reply>;
export type OperationHandlers = { [K in OperationId]?: OperationHandler<K> };

/** 200 with one resource. */
export const read = <K extends OperationId>(fn: (req: OperationRequest<K>) => Promise<DataOf<K, 200>> | DataOf<K, 200>): OperationHandler<K> =>
  async (req) => ({ status: 200, body: { data: await fn(req) } });

/** 200 with a page of resources, each serialized, and next_cursor. */
export const list = <K extends OperationId, T>(
  fetch: (req: OperationRequest<K>) => Promise<Page<T>>,
  serialize: (row: T) => ItemOf<K>,
): OperationHandler<K> => async (req) => {
  const page = await fetch(req);
  return { status: 200, body: { data: page.items.map(serialize), next_cursor: page.next_cursor } };
};

/**
 * A write in one transaction with everything that must commit with it: the outbox events and
 * workflow commands the domain records, and the Idempotency-Key's stored response. The
 * commands' workflows are started once it has committed. The status is fixed, or decided from
 * the result (for example 201 created, 200 an existing record changed, 202 accepted for a workflow).
 */
export const write = <K extends OperationId, S extends 200 | 201 | 202, T>(
  status: S | ((result: T) => S),
  change: (req: OperationRequest<K>) => Promise<T>,
  serialize: (result: T) => DataOf<K, S>,
): OperationHandler<K> => async (req) => {
  const { code, body } = await inTransaction(req.tenant.em, async (tx) => {
    const result = await change({ ...req, tenant: withEm(req.tenant, tx) });
    const code = typeof status === 'function' ? status(result) : status;
    const data = serialize(result);
    if (req.claim) await completeClaim(tx, req.claim, code, { data });
    return { code, body: { data } };
  });
  if (req.claim) req.claim.completed = true;
  await startEnqueuedWorkflows(req);
  return { status: code, body };
};

/** An answer whose status the domain decides (for example 200 done, or 202 still running). */
export const respond = <K extends OperationId, S extends number>(status: S, data: DataOf<K, S>): Reply => ({ status, body: { data } });

/** Starts the workflows a committed write enqueued; the relay retries what fails here. */
export async function startEnqueuedWorkflows(req: Pick<OperationRequest<OperationId>, 'tenant' | 'deps' | 'log'>): Promise<void> {
  if (!req.tenant.enqueued.length) return;
  try {
    await req.deps.workflows.dispatch(req.tenant.enqueued);
  } catch (err) {
    req.log.warn({ err, commands: req.tenant.enqueued }, 'workflow start deferred to the relay');
  }
}

export type SchemaName = keyof components['schemas'];
/** A schema of the contract's components, e.g. `Schema<'Contact'>`: what serializers answer. */
export type Schema<N extends SchemaName> = components['schemas'][N];
