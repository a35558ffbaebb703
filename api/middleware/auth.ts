// Bearer token → workspace and scopes, then the operation's scope and module checks. Plain
// functions: the REST router and the MCP server run the same steps.
import { ApiError } from '../../platform/errors.ts';
import type { EntityManager } from '../../platform/db.ts';
import { authenticate } from '../../kernel/tenancy/workspaces.ts';
import type { ApiToken, Workspace } from '../../kernel/tenancy/entities.ts';
import type { Operation } from '../contract.ts';

const unauthorized = (message: string) =>
  new ApiError(401, 'unauthorized', message, null, { 'WWW-Authenticate': 'Bearer realm="slab5"' });

/** The Authorization header's token, or 401 naming what is wrong with the header. */
export function bearerToken(header: string | undefined): string {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!match) throw unauthorized(header ? 'The Authorization header must be "Bearer <token>".' : 'A valid bearer token is required.');
  return match[1]!;
}

export interface Principal { token: ApiToken; workspace: Workspace }

export async function authenticateToken(em: EntityManager, presented: string): Promise<Principal> {
  const found = await authenticate(em, presented);
  if (!found) throw unauthorized('The bearer token is not valid or has been revoked.');
  if (!found.workspace) throw new ApiError(404, 'not_found', 'The workspace could not be found for this token.');
  return { token: found.token, workspace: found.workspace };
}

/** Whether the principal may call the operation (its scopes and the workspace's modules). */
export function accessProblem(op: Operation, { token, workspace }: Principal): ApiError | null {
  const held = token.scopes;
  if (op.scopes.length && !op.scopes.some((s) => held.includes(s))) {
    return new ApiError(403, 'insufficient_scope',
      `The token does not include the scope required for this operation (${op.scopes.length > 1 ? 'any of ' : ''}${op.scopes.join(', ')}).`,
      { required_scopes: op.scopes });
  }
  if (op.module && !workspace.enabled_modules.includes(op.module)) {
    return new ApiError(403, 'module_not_enabled', `The "${op.module}" module is not enabled for this workspace.`, { module: op.module });
  }
  return null;
}
